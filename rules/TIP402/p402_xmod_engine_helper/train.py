"""[TIP402] train.py: `scheduler.step()` before engine.train_one_epoch(), whose optimizer steps live in another module (synthetic, pre-1.1 order in a two-module layout)."""
import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from engine import train_one_epoch
from pointnet import ModelNet40, PointNet


def main(epochs=250):
    device = torch.device("cuda")
    loader = DataLoader(ModelNet40("train"), batch_size=32, shuffle=True, drop_last=True)
    model = PointNet(k=40).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999))
    scheduler = StepLR(optimizer, step_size=20, gamma=0.5)
    for epoch in range(epochs):
        scheduler.step()  # expect: TIP402[safe-fix]
        train_one_epoch(model, loader, optimizer, device)


if __name__ == "__main__":
    main()
