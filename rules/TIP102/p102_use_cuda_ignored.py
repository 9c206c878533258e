"""[TIP102] `use_cuda = not args.no_cuda and torch.cuda.is_available()` is computed, used for the loader kwargs, then ignored: `.cuda()` runs regardless (real-world pattern: old pytorch/examples mains edited by hand)."""
import argparse

import torch
import torch.nn.functional as F
import torch.optim as optim
from torchvision import datasets, transforms

from net import Net


def train(args, model, train_loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.cuda(), target.cuda()  # expect: TIP102[unsafe-fix], TIP102[unsafe-fix]
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        optimizer.step()


def main():
    parser = argparse.ArgumentParser(description="PyTorch MNIST Example")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--no-cuda", action="store_true", default=False, help="disables CUDA training")
    args = parser.parse_args()
    use_cuda = not args.no_cuda and torch.cuda.is_available()
    kwargs = {"num_workers": 1, "pin_memory": True} if use_cuda else {}
    train_loader = torch.utils.data.DataLoader(
        datasets.MNIST("../data", train=True, download=True, transform=transforms.ToTensor()),
        batch_size=args.batch_size,
        shuffle=True,
        **kwargs,
    )
    model = Net().cuda()  # expect: TIP102[unsafe-fix]
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.5)
    for epoch in range(1, args.epochs + 1):
        train(args, model, train_loader, optimizer, epoch)


if __name__ == "__main__":
    main()
