"""[TIP306] The data set is made once, but the loader with its workers is made anew inside the epoch loop: reported with no fix (the loader has to move out of the loop)."""

import torch
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(torch.randn(64, 4), torch.randn(64, 1))
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(10):
    loader = DataLoader(dataset, batch_size=8, shuffle=True, num_workers=2)  # expect: TIP306[no-fix]
    for inputs, targets in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
