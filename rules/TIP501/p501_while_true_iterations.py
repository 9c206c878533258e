"""[TIP501, TIP502] Iteration-based training: `while True` around the batch loop, no epoch number, no set_epoch (real-world pattern: GAN / LM trainers counting steps)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from corpus import TokenDataset
from gpt import GPT

MAX_STEPS = 100_000


def train():
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = TokenDataset("/data/owt", block_size=1024)
    sampler = DistributedSampler(dataset, drop_last=True)  # expect: TIP501[safe-fix]
    loader = DataLoader(dataset, batch_size=12, sampler=sampler, pin_memory=True)
    model = torch.nn.parallel.DistributedDataParallel(GPT().cuda())
    optimizer = torch.optim.AdamW(model.parameters(), lr=6e-4, betas=(0.9, 0.95))

    step = 0
    while True:
        for idx, targets in loader:
            logits, loss = model(idx.cuda(), targets.cuda())
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            step += 1
            if step >= MAX_STEPS:
                return
    dist.destroy_process_group()


if __name__ == "__main__":
    train()
