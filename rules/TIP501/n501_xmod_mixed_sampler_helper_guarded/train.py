# expect: none
"""[TIP501] train.py: the sampler from data_utils.get_sampler may be a RandomSampler or a DistributedSampler, and the epoch loop calls set_epoch only when it has one (`hasattr`): nothing to report (real-world pattern: fine-tuning repos' train scripts)."""
import os
import argparse

import torch
from torch.utils.data import DataLoader

from data_utils import get_sampler
from glue import GlueDataset, Classifier


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, default=int(os.environ.get("LOCAL_RANK", -1)))
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    if args.local_rank != -1:
        torch.distributed.init_process_group("nccl")
    dataset = GlueDataset("mrpc", split="train")
    train_sampler = get_sampler(dataset, args.local_rank)
    loader = DataLoader(dataset, sampler=train_sampler, batch_size=32)
    model = Classifier().cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    for epoch in range(args.epochs):
        if hasattr(train_sampler, "set_epoch"):
            train_sampler.set_epoch(epoch)
        for batch in loader:
            loss = model(**{k: v.cuda() for k, v in batch.items()})
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
    if torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    main()
