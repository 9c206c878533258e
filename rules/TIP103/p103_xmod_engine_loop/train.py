# expect: none
"""[TIP103] train.py: places the model and the loss on the device and hands them to engine.train_one_epoch (real-world pattern: torchvision references-style mains)."""
import torch
import torchvision
from torch.utils.data import DataLoader

from engine import train_one_epoch
from presets import food101_train


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    data_loader = DataLoader(food101_train("/data/food-101"), batch_size=64, shuffle=True, num_workers=8)
    model = torchvision.models.efficientnet_b0(num_classes=101)
    model.to(device)
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=4e-5)
    for epoch in range(60):
        train_one_epoch(model, criterion, optimizer, data_loader, epoch)


if __name__ == "__main__":
    main()
