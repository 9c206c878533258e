"""[TIP306] Workers from an option whose default is 6, and a step loop inside an epoch loop: each epoch starts six processes."""

import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--num-workers", type=int, default=6)
args = parser.parse_args()
loader = DataLoader(  # expect: TIP306[unsafe-fix]
    TensorDataset(torch.randn(32, 3)), batch_size=4, shuffle=True, num_workers=args.num_workers
)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.Adam(model.parameters())
for epoch in range(3):
    for (x,) in loader:
        optimizer.zero_grad()
        model(x).pow(2).mean().backward()
        optimizer.step()
