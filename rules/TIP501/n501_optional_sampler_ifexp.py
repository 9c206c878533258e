# expect: none
"""[TIP501] `sampler = DistributedSampler(ds) if distributed else None`, `shuffle=(sampler is None)`, set_epoch under `if sampler is not None` (real-world pattern: scripts that run with or without torchrun)."""
import os

import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from flowers import Flowers102
from vit import vit_small


def main(epochs=300):
    distributed = "RANK" in os.environ
    if distributed:
        dist.init_process_group("nccl")
        torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = Flowers102("/data/flowers")
    sampler = DistributedSampler(dataset) if distributed else None
    loader = DataLoader(dataset, batch_size=64, shuffle=(sampler is None), sampler=sampler, num_workers=8)
    model = vit_small().cuda()
    if distributed:
        model = torch.nn.parallel.DistributedDataParallel(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.05)
    for epoch in range(epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda(), label_smoothing=0.1)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    if dist.is_initialized():
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
