"""[TIP306] A loader with four workers, walked once per epoch: without `persistent_workers=True` the four processes are started, and the dataset sent to them, again at each epoch."""

import torch
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(  # expect: TIP306[unsafe-fix]
    TensorDataset(torch.randn(64, 4), torch.randn(64, 1)), batch_size=8, shuffle=True, num_workers=4
)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(10):
    for inputs, targets in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
