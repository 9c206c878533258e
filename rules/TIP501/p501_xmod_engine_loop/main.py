"""[TIP501] main.py of a DeiT/MAE-style layout, minus the set_epoch line: sampler and epoch loop here, batch loop in engine.py (real-world: deit/mae main.py with `data_loader_train.sampler.set_epoch(epoch)` dropped)."""
import argparse

import torch
import torch.distributed as dist
from torchvision import datasets, transforms
import timm

from engine import train_one_epoch


def main(args):
    dist.init_process_group("nccl")
    dataset_train = datasets.ImageFolder(args.data_path, transform=transforms.ToTensor())
    sampler_train = torch.utils.data.DistributedSampler(  # expect: TIP501[safe-fix]
        dataset_train, num_replicas=dist.get_world_size(), rank=dist.get_rank(), shuffle=True
    )
    data_loader_train = torch.utils.data.DataLoader(
        dataset_train, sampler=sampler_train, batch_size=args.batch_size, num_workers=10, pin_memory=True, drop_last=True
    )
    device = torch.device("cuda")
    model = timm.create_model("vit_base_patch16_224", num_classes=1000).to(device)
    model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[args.gpu])
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95))
    criterion = torch.nn.CrossEntropyLoss()
    for epoch in range(args.start_epoch, args.epochs):
        train_stats = train_one_epoch(model, criterion, data_loader_train, optimizer, device, epoch)
        print(epoch, train_stats)
    dist.destroy_process_group()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--data_path", default="/data/imagenet/train")
    parser.add_argument("--batch_size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1.5e-4)
    parser.add_argument("--gpu", type=int, default=0)
    parser.add_argument("--start_epoch", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=400)
    main(parser.parse_args())
