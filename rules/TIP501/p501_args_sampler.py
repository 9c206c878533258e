"""[TIP501, TIP502] Sampler stashed on the argparse namespace (args.train_sampler) and the loop in a helper taking args (real-world pattern: older research code passing `args` everywhere)."""
import argparse

import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from lib.datasets import build_dataset
from lib.models import build_model


def train(args, model, optimizer):
    for epoch in range(args.epochs):
        model.train()
        for x, y in args.train_loader:
            out = model(x.cuda())
            loss = torch.nn.functional.nll_loss(out, y.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=120)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--data-dir", default="/data/imagenet")
    parser.add_argument("--arch", default="resnet50")
    args = parser.parse_args()
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = build_dataset(args.data_dir)
    args.train_sampler = DistributedSampler(dataset)  # expect: TIP501[safe-fix]
    args.train_loader = DataLoader(dataset, batch_size=args.batch_size, sampler=args.train_sampler)
    model = torch.nn.parallel.DistributedDataParallel(build_model(args.arch).cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    train(args, model, optimizer)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
