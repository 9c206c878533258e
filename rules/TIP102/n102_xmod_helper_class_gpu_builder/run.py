# expect: none
"""[TIP102] run.py: one process per GPU (`set_device`); the only builder of the prefetcher."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from prep import GpuPrefetcher


def worker(rank):
    torch.cuda.set_device(rank)
    data = TensorDataset(torch.randn(32, 6), torch.randint(0, 2, (32,)))
    net = nn.Linear(6, 2).to(torch.device("cuda", rank))
    for inputs, labels in GpuPrefetcher(DataLoader(data, batch_size=8), rank):
        print(nn.functional.cross_entropy(net(inputs), labels).item())


if __name__ == "__main__":
    torch.multiprocessing.spawn(worker, nprocs=torch.cuda.device_count())
