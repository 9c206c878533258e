# expect: none
"""[TIP501] RandomSampler or DistributedSampler by launch mode, and set_epoch is called only on the distributed branch (`if args.local_rank != -1:`): nothing to report (real-world pattern: fine-tuning scripts that were fixed by hand)."""
import os
import argparse

import torch
from torch.utils.data import DataLoader, RandomSampler
from torch.utils.data.distributed import DistributedSampler

from ner_data import read_conll
from tagger import BertTagger


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, default=int(os.environ.get("LOCAL_RANK", -1)))
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    if args.local_rank != -1:
        torch.distributed.init_process_group("nccl")
    dataset = read_conll("train.txt")
    if args.local_rank == -1:
        sampler = RandomSampler(dataset)
    else:
        sampler = DistributedSampler(dataset)
    loader = DataLoader(dataset, sampler=sampler, batch_size=16)
    model = BertTagger(num_labels=9).cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    for epoch in range(args.epochs):
        if args.local_rank != -1:
            sampler.set_epoch(epoch)
        for batch in loader:
            loss = model(**{k: v.cuda() for k, v in batch.items()})
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
    if torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    main()
