# expect: none
"""[TIP102] train.py: the backend is whatever the user passes (nccl on GPUs, gloo on CPUs); the device has a fallback."""
import argparse

import torch

from dist_utils import Meter, start_processes

parser = argparse.ArgumentParser()
parser.add_argument("--dist-backend", type=str, help="process group backend, nccl or gloo")
parser.add_argument("--epochs", type=int, default=2)
args = parser.parse_args()
start_processes(args)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = torch.nn.Linear(8, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
meter = Meter()
for epoch in range(args.epochs):
    inputs, targets = torch.randn(16, 8, device=device), torch.randn(16, 1, device=device)
    loss = torch.nn.functional.mse_loss(model(inputs), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    meter.add(loss.item())
    meter.sync()
