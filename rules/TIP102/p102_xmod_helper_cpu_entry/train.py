# expect: none
"""[TIP102] train.py: the GPU-only entry script (DataParallel over the GPUs given on the command line)."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from engine import train_epoch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpus", default="0")
    args = parser.parse_args()
    gpus = [int(g) for g in args.gpus.split(",")]
    model = nn.DataParallel(nn.Linear(8, 3), device_ids=gpus).cuda()
    loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randint(0, 3, (64,))), batch_size=16)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(5):
        train_epoch(model, loader, nn.CrossEntropyLoss(), optimizer)


if __name__ == "__main__":
    main()
