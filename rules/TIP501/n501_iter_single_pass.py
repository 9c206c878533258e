# expect: none
"""[TIP501] One `iter(loader)` and a step loop that stops after one pass (`range(len(loader))`): the data is walked once, there is no later epoch to reshuffle (synthetic, modelled on one-epoch fine-tuning scripts)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from lm import InstructionSet, Transformer


def main():
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = InstructionSet("/data/alpaca.json")
    loader = DataLoader(dataset, batch_size=4, sampler=DistributedSampler(dataset))
    model = torch.nn.parallel.DistributedDataParallel(Transformer().cuda())
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    batches = iter(loader)
    for step in range(len(loader)):
        loss = model(next(batches).cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
