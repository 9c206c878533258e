"""[TIP501] Epoch loop calls a same-module train_one_epoch whose batch loop is enumerate(tqdm(loader)); set_epoch forgotten (real-world pattern: most single-file DDP scripts)."""
import argparse

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from tqdm import tqdm

from segdata import CityscapesDataset
from segmodels import DeepLabV3


def train_one_epoch(net, data_loader, opt, loss_fn, epoch):
    net.train()
    for i, (images, masks) in enumerate(tqdm(data_loader, desc=f"train {epoch}")):
        images, masks = images.cuda(non_blocking=True), masks.cuda(non_blocking=True)
        loss = loss_fn(net(images)["out"], masks)
        opt.zero_grad()
        loss.backward()
        opt.step()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=200)
    args = parser.parse_args()
    dist.init_process_group("nccl")
    train_set = CityscapesDataset("/data/cityscapes", split="train")
    train_sampler = DistributedSampler(train_set)  # expect: TIP501[safe-fix]
    train_loader = DataLoader(train_set, batch_size=8, sampler=train_sampler, num_workers=8, drop_last=True)
    model = nn.parallel.DistributedDataParallel(DeepLabV3(num_classes=19).cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss(ignore_index=255)
    for epoch in range(args.epochs):
        train_one_epoch(model, train_loader, optimizer, criterion, epoch)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
