# expect: none
"""[TIP501] A step loop pulls batches with next() and, on StopIteration, counts the pass and calls `sampler.set_epoch(...)` before `iter(loader)`: each pass is reshuffled (real-world pattern: step-based trainers done right)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from lm import TokenShards, Transformer


def train(max_steps=100_000):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = TokenShards("/data/pile", seq_len=2048)
    sampler = DistributedSampler(dataset, seed=1234)
    loader = DataLoader(dataset, batch_size=8, sampler=sampler, drop_last=True, num_workers=2)
    model = torch.nn.parallel.DistributedDataParallel(Transformer().cuda())
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    passes = 0
    batches = iter(loader)
    for step in range(max_steps):
        try:
            tokens = next(batches)
        except StopIteration:
            passes += 1
            sampler.set_epoch(passes)
            batches = iter(loader)
            tokens = next(batches)
        loss = model(tokens.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    train()
