"""[TIP402] `scheduler.step()` before `run_epoch(...)`, with a `continue` between them for epochs a resumed run has done: moving the step past it would stop the fast-forward, so the fix is unsafe (synthetic)."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader

from depth_data import NyuDepth
from depth_net import DepthNet


def run_epoch(model, loader, optimizer):
    model.train()
    for image, depth in loader:
        loss = F.l1_loss(model(image), depth)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main(epochs=50, done_epochs=0):
    loader = DataLoader(NyuDepth("train"), batch_size=8, shuffle=True)
    model = DepthNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-4)
    scheduler = CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        scheduler.step()  # expect: TIP402[unsafe-fix]
        if epoch < done_epochs:
            continue
        run_epoch(model, loader, optimizer)


if __name__ == "__main__":
    main()
