"""[TIP501, TIP502] train.py: loader from data.build_loader, epoch loop without set_epoch; reported at the helper call (real-world pattern: data/builder modules)."""
import argparse

import torch
import torch.distributed as dist
import torchvision

from data import build_loader


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-dir", default="/data/imagenet/train")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=100)
    args = parser.parse_args()
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    train_loader = build_loader(args)  # expect: TIP501[safe-fix]
    model = torch.nn.parallel.DistributedDataParallel(torchvision.models.resnet50().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
    criterion = torch.nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        for images, labels in train_loader:
            loss = criterion(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
