"""[TIP501, TIP503] The sampler is `RandomSampler(...) if args.local_rank == -1 else DistributedSampler(...)` and no epoch calls set_epoch; the fix must guard the call, the single-process branch has a RandomSampler (real-world pattern: hand-written BERT fine-tuning scripts)."""
import argparse

import torch
from torch.utils.data import DataLoader, RandomSampler
from torch.utils.data.distributed import DistributedSampler
from tqdm import tqdm, trange

from squad_features import load_features
from qa_model import QuestionAnswering


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, default=-1)  # expect: TIP503[safe-fix]
    parser.add_argument("--num_train_epochs", type=float, default=2.0)
    args = parser.parse_args()
    if args.local_rank != -1:
        torch.distributed.init_process_group(backend="nccl")
    train_data = load_features("train-v1.1.json")
    train_sampler = RandomSampler(train_data) if args.local_rank == -1 else DistributedSampler(train_data)  # expect: TIP501[safe-fix]
    train_dataloader = DataLoader(train_data, sampler=train_sampler, batch_size=32)
    model = QuestionAnswering().cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-5)
    for _ in trange(int(args.num_train_epochs), desc="Epoch"):
        for step, batch in enumerate(tqdm(train_dataloader, desc="Iteration")):
            loss = model(*(t.cuda() for t in batch))
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
    if torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


if __name__ == "__main__":
    main()
