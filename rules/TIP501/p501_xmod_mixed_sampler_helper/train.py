"""[TIP501, TIP503] train.py: the sampler comes from data_utils.get_sampler (RandomSampler or DistributedSampler), the epoch loop never calls set_epoch; reported at the helper call, and the fix guards the call with isinstance (real-world pattern: fine-tuning repos' train scripts)."""
import argparse

import torch
from torch.utils.data import DataLoader

from data_utils import get_sampler
from glue import GlueDataset, Classifier


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, default=-1)  # expect: TIP503[safe-fix]
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    if args.local_rank != -1:
        torch.distributed.init_process_group("nccl")
    dataset = GlueDataset("mrpc", split="train")
    train_sampler = get_sampler(dataset, args.local_rank)  # expect: TIP501[safe-fix]
    loader = DataLoader(dataset, sampler=train_sampler, batch_size=32)
    model = Classifier().cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    for epoch in range(args.epochs):
        for batch in loader:
            loss = model(**{k: v.cuda() for k, v in batch.items()})
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
    if torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    main()
