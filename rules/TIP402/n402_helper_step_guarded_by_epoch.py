# expect: none
"""[TIP402] train(epoch) steps the scheduler first, but only `if ep > 0` (its own name for the epoch): it then runs after a whole epoch of optimizer steps (synthetic look-alike of a step at the top of a helper)."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from flowers import FlowerSet, TinyViT


def train(model, loader, optimizer, scheduler, ep):
    if ep > 0:
        scheduler.step()
    model.train()
    for image, label in loader:
        loss = F.cross_entropy(model(image), label)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main(epochs=30):
    loader = DataLoader(FlowerSet("train"), batch_size=64, shuffle=True)
    model = TinyViT()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
    for epoch in range(epochs):
        train(model, loader, optimizer, scheduler, epoch)


if __name__ == "__main__":
    main()
