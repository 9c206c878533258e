"""[TIP501, TIP502] `for step in range(max_steps)` pulls batches with next() and, on StopIteration, starts a new pass with `iter(loader)`; set_epoch is never called. There is no epoch loop to put the call in: reported without a fix (real-world pattern: step-based LM / RL trainers)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from lm import TokenShards, Transformer


def train(max_steps=100_000):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = TokenShards("/data/pile", seq_len=2048)
    sampler = DistributedSampler(dataset, seed=1234)  # expect: TIP501[no-fix]
    loader = DataLoader(dataset, batch_size=8, sampler=sampler, drop_last=True, num_workers=2)
    model = torch.nn.parallel.DistributedDataParallel(Transformer().cuda())
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    batches = iter(loader)
    for step in range(max_steps):
        try:
            tokens = next(batches)
        except StopIteration:
            batches = iter(loader)
            tokens = next(batches)
        loss = model(tokens.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    train()
