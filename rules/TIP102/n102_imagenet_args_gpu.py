# expect: none
"""[TIP102, TIP103] pytorch/examples ImageNet shape: `.cuda(args.gpu)` behind `if args.gpu is not None`, DataParallel otherwise, and the target moved under `torch.cuda.is_available()` (real-world pattern: examples/imagenet/main.py)."""
import argparse

import torch
import torch.nn as nn
import torchvision.models as models
from torch.utils.data import DataLoader

from imagenet_data import imagenet_train


def train(train_loader, model, criterion, optimizer, epoch, args):
    model.train()
    for i, (images, target) in enumerate(train_loader):
        if args.gpu is not None and torch.cuda.is_available():
            images = images.cuda(args.gpu, non_blocking=True)
        if torch.cuda.is_available():
            target = target.cuda(args.gpu, non_blocking=True)
        output = model(images)
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main():
    parser = argparse.ArgumentParser(description="PyTorch ImageNet Training")
    parser.add_argument("--gpu", default=None, type=int, help="GPU id to use.")
    parser.add_argument("--epochs", default=90, type=int)
    args = parser.parse_args()
    model = models.resnet50()
    if not torch.cuda.is_available():
        print("using CPU, this will be slow")
    elif args.gpu is not None:
        model = model.cuda(args.gpu)
    else:
        model = torch.nn.DataParallel(model).cuda()
    criterion = nn.CrossEntropyLoss()
    if torch.cuda.is_available():
        criterion = criterion.cuda(args.gpu)
    optimizer = torch.optim.SGD(model.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
    train_loader = DataLoader(imagenet_train("/data/imagenet"), batch_size=256, shuffle=True, num_workers=8, pin_memory=True)
    for epoch in range(args.epochs):
        train(train_loader, model, criterion, optimizer, epoch, args)


if __name__ == "__main__":
    main()
