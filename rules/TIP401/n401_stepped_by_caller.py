# expect: none
"""[TIP401, TIP402] The scheduler is built by a helper and returned; the caller steps it after each epoch, and train_epoch() takes it without stepping (real-world pattern: make_optimizer helpers)."""
import torch
from torch.optim.lr_scheduler import PolynomialLR
from torch.utils.data import DataLoader

from depth import NYUv2, DPT


def make_optimizer(model, epochs):
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    scheduler = PolynomialLR(optimizer, total_iters=epochs, power=0.9)
    return optimizer, scheduler


def train_epoch(model, loader, optimizer, scheduler):
    for rgb, depth in loader:
        loss = (model(rgb.cuda()) - depth.cuda()).abs().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return scheduler.get_last_lr()[0]


def main(epochs=25):
    model = DPT().cuda()
    loader = DataLoader(NYUv2("train"), batch_size=8, shuffle=True)
    optimizer, scheduler = make_optimizer(model, epochs)
    for epoch in range(epochs):
        lr = train_epoch(model, loader, optimizer, scheduler)
        scheduler.step()
        print(epoch, lr)


if __name__ == "__main__":
    main()
