# expect: none
"""[TIP102] main() asserts `torch.cuda.is_available()` up front and then uses `.cuda()` freely, in main and in the helper it calls (real-world pattern: GPU-only research code that says so)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from nerf_lite import RaysDataset, TinyNeRF


def train_epoch(model, loader, optimizer):
    for rays, rgb in loader:
        rays, rgb = rays.cuda(non_blocking=True), rgb.cuda(non_blocking=True)
        loss = nn.functional.mse_loss(model(rays), rgb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main():
    assert torch.cuda.is_available(), "TinyNeRF needs a GPU"
    loader = DataLoader(RaysDataset("lego"), batch_size=4096, shuffle=True, num_workers=4, pin_memory=True)
    model = TinyNeRF().cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
    for epoch in range(20):
        train_epoch(model, loader, optimizer)


if __name__ == "__main__":
    main()
