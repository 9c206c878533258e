"""[TIP401, TIP501] A torchrun DDP script with two independent slips: the CosineAnnealingLR is never stepped and the DistributedSampler never gets set_epoch (synthetic, DDP tutorial + scheduler)."""
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from kinetics import UCF101, I3D


def main(epochs=50):
    dist.init_process_group("nccl")
    local_rank = int(os.environ["LOCAL_RANK"])
    torch.cuda.set_device(local_rank)
    dataset = UCF101("/data/ucf101", split=1)
    sampler = DistributedSampler(dataset)  # expect: TIP501[safe-fix]
    loader = DataLoader(dataset, batch_size=8, sampler=sampler, num_workers=8)
    model = nn.parallel.DistributedDataParallel(I3D(num_classes=101).cuda(), device_ids=[local_rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    scheduler = CosineAnnealingLR(optimizer, T_max=epochs)  # expect: TIP401[unsafe-fix]
    for epoch in range(epochs):
        for clips, labels in loader:
            loss = nn.functional.cross_entropy(model(clips.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
