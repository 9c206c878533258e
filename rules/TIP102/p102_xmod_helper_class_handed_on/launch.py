# expect: none
"""[TIP102] launch.py: GPU-only (`set_device`), yet it passes the wrapper class on as a value."""
import torch

from stage import ToGpu


def make_loader(data, wrap):
    return wrap(data)


def worker(rank):
    torch.cuda.set_device(rank)
    for batch in ToGpu([torch.ones(2)]):
        print(batch.sum().item())
    print(len(list(make_loader([torch.zeros(2)], ToGpu))))


if __name__ == "__main__":
    torch.multiprocessing.spawn(worker, nprocs=torch.cuda.device_count())
