# expect: none
"""[TIP101, TIP102, TIP103] DDP under torchrun: NCCL group, `torch.cuda.set_device(local_rank)`, `.cuda()` everywhere: GPU-only by design (real-world pattern: the DDP multigpu_torchrun tutorial)."""
import os

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from toy import MyTrainDataset


def main(total_epochs=10, batch_size=32):
    local_rank = int(os.environ["LOCAL_RANK"])
    torch.cuda.set_device(local_rank)
    dist.init_process_group(backend="nccl")
    dataset = MyTrainDataset(2048)
    sampler = DistributedSampler(dataset)
    loader = DataLoader(dataset, batch_size=batch_size, pin_memory=True, shuffle=False, sampler=sampler)
    model = torch.nn.Linear(20, 1).cuda()
    model = DDP(model, device_ids=[local_rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
    for epoch in range(total_epochs):
        sampler.set_epoch(epoch)
        for source, targets in loader:
            source, targets = source.cuda(), targets.cuda()
            optimizer.zero_grad()
            loss = F.cross_entropy(model(source), targets)
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
