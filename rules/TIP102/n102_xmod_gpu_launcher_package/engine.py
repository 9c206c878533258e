# expect: none
"""[TIP102] engine.py: the training engine, one process per GPU (`LOCAL_RANK`), the model in DistributedDataParallel over that GPU."""
import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

import zoo


def train_model(arch):
    dist.init_process_group(backend="nccl")
    rank = int(os.environ["LOCAL_RANK"])
    model = zoo.ARCHS[arch]().to(torch.device("cuda", rank))
    model = DistributedDataParallel(model, device_ids=[rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        loss = model(torch.randn(8, 16, device=torch.device("cuda", rank))).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
