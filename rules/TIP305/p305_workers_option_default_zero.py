"""[TIP305] The number of workers comes from an option whose default is 0: as the script runs by default, the CUDA training loop loads its data in the main process."""

import argparse

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--workers", type=int, default=0)
args = parser.parse_args()
loader = DataLoader(  # expect: TIP305[unsafe-fix]
    TensorDataset(torch.randn(32, 2), torch.randn(32, 1)), batch_size=4, shuffle=True, num_workers=args.workers
)
model = torch.nn.Linear(2, 1).cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for inputs, targets in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs.cuda()), targets.cuda()).backward()
        optimizer.step()
