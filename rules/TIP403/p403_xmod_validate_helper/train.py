# expect: none
"""[TIP403] train.py: creates the ReduceLROnPlateau and passes it to engine.validate, which steps it without a metric (synthetic)."""
import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau
from torch.utils.data import DataLoader

from engine import train_one_epoch, validate
from galaxy import GalaxyZoo, ResNet18


def main(epochs=80):
    train_loader = DataLoader(GalaxyZoo("train"), batch_size=64, shuffle=True)
    val_loader = DataLoader(GalaxyZoo("val"), batch_size=256)
    model = ResNet18(num_classes=37).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = ReduceLROnPlateau(optimizer, factor=0.2, patience=4)
    for epoch in range(epochs):
        train_one_epoch(model, train_loader, optimizer)
        validate(model, val_loader, scheduler)


if __name__ == "__main__":
    main()
