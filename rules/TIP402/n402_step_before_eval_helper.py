# expect: none
"""[TIP402] The scheduler steps between train_one() and evaluate(): the call after the step only evaluates (no optimizer step in it), the training call runs before it (synthetic look-alike of a step before a helper call)."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader

from audio_tagging import ClipDataset, TagNet


def train_one(model, loader, optimizer):
    model.train()
    for clips, tags in loader:
        loss = F.binary_cross_entropy_with_logits(model(clips), tags)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def evaluate(model, loader):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for clips, tags in loader:
            total += F.binary_cross_entropy_with_logits(model(clips), tags).item()
    return total / len(loader)


def main(epochs=40):
    train_loader = DataLoader(ClipDataset("train"), batch_size=32, shuffle=True)
    val_loader = DataLoader(ClipDataset("val"), batch_size=64)
    model = TagNet()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    scheduler = ExponentialLR(optimizer, gamma=0.95)
    for epoch in range(epochs):
        train_one(model, train_loader, optimizer)
        scheduler.step()
        print(epoch, evaluate(model, val_loader))


if __name__ == "__main__":
    main()
