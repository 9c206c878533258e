"""[TIP402] `scheduler.step()` first thing in the epoch loop, before train() runs any optimizer step (real-world pattern: pre-1.1 scripts still on GitHub)."""
import argparse

import torch
import torch.nn as nn
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from resnet_cifar import resnet56


def train(model, loader, optimizer, criterion):
    model.train()
    for inputs, targets in loader:
        inputs, targets = inputs.cuda(), targets.cuda()
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args()
    train_set = datasets.CIFAR100("./data", train=True, transform=transforms.ToTensor())
    loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=4)
    model = resnet56(num_classes=100).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    scheduler = lr_scheduler.MultiStepLR(optimizer, milestones=[60, 120, 160], gamma=0.2)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        scheduler.step()  # expect: TIP402[safe-fix]
        train(model, loader, optimizer, criterion)


if __name__ == "__main__":
    main()
