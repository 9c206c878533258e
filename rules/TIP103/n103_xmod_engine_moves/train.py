# expect: none
"""[TIP101, TIP102, TIP103] train.py: places the model and hands the device to engine.train_one_epoch (real-world pattern: torchvision references/classification/train.py)."""
import argparse

import torch
import torchvision
from torch.utils.data import DataLoader

from engine import train_one_epoch
from presets import imagenet_train_presets


def main(args):
    device = torch.device(args.device)
    data_loader = DataLoader(imagenet_train_presets(args.data_path), batch_size=args.batch_size, shuffle=True, num_workers=args.workers)
    model = torchvision.models.get_model(args.model, num_classes=1000)
    model.to(device)
    criterion = torch.nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)
    scaler = torch.amp.GradScaler("cuda") if args.amp else None
    for epoch in range(args.epochs):
        train_one_epoch(model, criterion, optimizer, data_loader, device, epoch, scaler)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="PyTorch Classification Training")
    parser.add_argument("--data-path", default="/datasets01/imagenet_full_size/061417/")
    parser.add_argument("--model", default="resnet18")
    parser.add_argument("--device", default="cuda", help="device (Use cuda or cpu Default: cuda)")
    parser.add_argument("-b", "--batch-size", default=32, type=int)
    parser.add_argument("--epochs", default=90, type=int)
    parser.add_argument("-j", "--workers", default=16, type=int)
    parser.add_argument("--lr", default=0.1, type=float)
    parser.add_argument("--label-smoothing", default=0.0, type=float)
    parser.add_argument("--amp", action="store_true")
    main(parser.parse_args())
