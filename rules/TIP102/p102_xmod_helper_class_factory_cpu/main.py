# expect: none
"""[TIP102] main.py: one process per GPU, each pinned with `set_device` before it builds its loader."""
import torch

from loaders import make_loader


def worker(rank):
    torch.cuda.set_device(rank)
    for batch in make_loader([torch.ones(4, 2)], rank, mix=True):
        print(batch.sum().item())


if __name__ == "__main__":
    torch.multiprocessing.spawn(worker, nprocs=torch.cuda.device_count())
