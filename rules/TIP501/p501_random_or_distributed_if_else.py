"""[TIP501, TIP503] The sampler class is picked by an if/else statement (RandomSampler alone, DistributedSampler under torchrun) and set_epoch is never called; the fix calls it only on a DistributedSampler (real-world pattern: GLUE / NER fine-tuning scripts)."""
import argparse

import torch
from torch.utils.data import DataLoader, RandomSampler
from torch.utils.data.distributed import DistributedSampler

from ner_data import read_conll
from tagger import BertTagger


def train(args, dataset, model):
    if args.local_rank == -1:
        sampler = RandomSampler(dataset)
    else:
        sampler = DistributedSampler(dataset)  # expect: TIP501[safe-fix]
    loader = DataLoader(dataset, sampler=sampler, batch_size=args.batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    for epoch in range(args.epochs):
        model.train()
        for batch in loader:
            loss = model(**{k: v.cuda() for k, v in batch.items()})
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, default=-1)  # expect: TIP503[safe-fix]
    parser.add_argument("--batch_size", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    if args.local_rank != -1:
        torch.distributed.init_process_group("nccl")
    train(args, read_conll("train.txt"), BertTagger(num_labels=9).cuda())
    if torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    main()
