"""[TIP103] ImageNet-style `for i, (images, target) in enumerate(train_loader)` with the model on the device and neither tensor moved (real-world pattern: pytorch/examples imagenet with the `.to(device)` lines lost)."""
import argparse

import torch
import torch.nn as nn
import torchvision.models as models
from torch.utils.data import DataLoader

from imagenet_data import imagenet_train


def train(train_loader, model, criterion, optimizer, epoch, device, print_freq=10):
    model.train()
    for i, (images, target) in enumerate(train_loader):
        output = model(images)  # expect: TIP103[unsafe-fix]
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if i % print_freq == 0:
            print(f"Epoch [{epoch}][{i}/{len(train_loader)}] loss {loss.item():.4f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=90)
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = models.resnet18().to(device)
    criterion = nn.CrossEntropyLoss().to(device)
    optimizer = torch.optim.SGD(model.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
    train_loader = DataLoader(imagenet_train("/data/imagenet"), batch_size=256, shuffle=True, num_workers=8)
    for epoch in range(args.epochs):
        train(train_loader, model, criterion, optimizer, epoch, device)


if __name__ == "__main__":
    main()
