"""[TIP501, TIP502] Old-style backslash continuation puts the sampler call on a line that cannot hold a comment; no set_epoch (synthetic, Python-2-era style)."""
import argparse

import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from pascal import VOCDetection, SSD300


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--distributed", action="store_true")
    parser.add_argument("--epochs", type=int, default=120)
    args = parser.parse_args()
    if args.distributed:
        dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = VOCDetection("/data/VOCdevkit", image_sets=[("2007", "trainval"), ("2012", "trainval")])
    # expect-next-line: TIP501[safe-fix]
    train_sampler = DistributedSampler(dataset, shuffle=True) if args.distributed \
        else None
    loader = DataLoader(dataset, batch_size=32, shuffle=(train_sampler is None), sampler=train_sampler, num_workers=4)
    net = SSD300(num_classes=21).cuda()
    if args.distributed:
        net = torch.nn.parallel.DistributedDataParallel(net)
    optimizer = torch.optim.SGD(net.parameters(), lr=1e-3, momentum=0.9, weight_decay=5e-4)
    for epoch in range(args.epochs):
        for images, targets in loader:
            loss_l, loss_c = net(images.cuda(), targets)
            loss = loss_l + loss_c
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    if dist.is_initialized():
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
