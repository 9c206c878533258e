# expect: none
"""[TIP101, TIP102, TIP103] `args.device = torch.device("cuda" if torch.cuda.is_available() and not args.no_cuda else "cpu")`, then `.to(args.device)` for the model and a tuple batch (real-world pattern: older transformers example scripts)."""
import argparse

import torch
from torch.utils.data import DataLoader

from squad_lite import QADataset, SpanExtractor


def train(args, train_dataset, model):
    train_dataloader = DataLoader(train_dataset, batch_size=args.train_batch_size, shuffle=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate)
    model.train()
    for _ in range(args.num_train_epochs):
        for step, batch in enumerate(train_dataloader):
            batch = tuple(t.to(args.device) for t in batch)
            start_logits, end_logits = model(batch[0], batch[1])
            loss = (torch.nn.functional.cross_entropy(start_logits, batch[3]) + torch.nn.functional.cross_entropy(end_logits, batch[4])) / 2
            loss.backward()
            optimizer.step()
            model.zero_grad()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train_batch_size", default=12, type=int)
    parser.add_argument("--learning_rate", default=3e-5, type=float)
    parser.add_argument("--num_train_epochs", default=2, type=int)
    parser.add_argument("--no_cuda", action="store_true", help="Whether not to use CUDA when available")
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() and not args.no_cuda else "cpu")
    args.n_gpu = torch.cuda.device_count()
    args.device = device
    model = SpanExtractor(hidden=256)
    model.to(args.device)
    train(args, QADataset("train-v1.1.json"), model)


if __name__ == "__main__":
    main()
