# expect: none
"""[TIP102] train_ddp.py: one process per GPU, each pinning its GPU first; it builds the blender."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from augment import BatchBlender


def worker(gpu):
    torch.cuda.set_device(gpu)
    net = nn.Linear(4, 3).cuda(gpu)
    data = TensorDataset(torch.randn(40, 4), torch.randint(0, 3, (40,)))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    for x, y in BatchBlender(DataLoader(data, batch_size=8), gpu):
        loss = nn.functional.cross_entropy(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


if __name__ == "__main__":
    torch.multiprocessing.spawn(worker, nprocs=torch.cuda.device_count())
