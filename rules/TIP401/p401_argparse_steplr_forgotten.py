"""[TIP401] argparse CIFAR script creates a StepLR and never steps it: the LR stays at --lr (real-world pattern: a frequent forum question)."""
import argparse

import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from models import VGG16


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--epochs", type=int, default=150)
    args = parser.parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train_set = datasets.CIFAR10("./data", train=True, transform=transforms.ToTensor())
    train_loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=2)
    net = VGG16().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    scheduler = StepLR(optimizer, step_size=50, gamma=0.1)  # expect: TIP401[unsafe-fix]

    for epoch in range(args.epochs):
        net.train()
        running = 0.0
        for inputs, targets in train_loader:
            inputs, targets = inputs.to(device), targets.to(device)
            optimizer.zero_grad()
            loss = criterion(net(inputs), targets)
            loss.backward()
            optimizer.step()
            running += loss.item()
        print(f"[{epoch}] loss: {running / 391:.3f}")


if __name__ == "__main__":
    main()
