"""[TIP405] CosineAnnealingLR sized by `T_max=len(train_loader)` (one epoch's batches) but stepped once an epoch: the cosine counts len(loader) epochs, so over a short run the LR barely moves. No fix: one cosine per epoch or one over the run, the length does not say which."""
import torch
from torch import nn
from torch.utils.data import DataLoader

from shapes import ShapesDataset, SmallNet


def main(epochs=20):
    train_loader = DataLoader(ShapesDataset("train"), batch_size=64, shuffle=True)
    model = SmallNet()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=len(train_loader))
    for epoch in range(epochs):
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()
        scheduler.step()  # expect: TIP405[no-fix]


if __name__ == "__main__":
    main()
