"""[TIP401] train.py creates a LinearLR and hands it to engine.train_one_epoch, which never steps it; nobody else does either (synthetic)."""
import torch
from torch.optim.lr_scheduler import LinearLR
from torch.utils.data import DataLoader

from engine import train_one_epoch
from beans import BeansDataset, MobileViT


def main(epochs=30):
    device = torch.device("cuda")
    loader = DataLoader(BeansDataset("train"), batch_size=32, shuffle=True)
    model = MobileViT().to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)
    scheduler = LinearLR(optimizer, start_factor=1.0, end_factor=0.01, total_iters=epochs)  # expect: TIP401[no-fix]
    for epoch in range(epochs):
        train_one_epoch(model, loader, optimizer, scheduler, device)


if __name__ == "__main__":
    main()
