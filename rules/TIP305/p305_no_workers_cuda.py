"""[TIP305] A training loop that runs on the GPU when there is one, fed by a loader without workers: every batch is read between two optimizer steps, in the training process."""

import torch
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
loader = DataLoader(  # expect: TIP305[unsafe-fix]
    TensorDataset(torch.randn(64, 4), torch.randn(64, 1)), batch_size=8, shuffle=True
)
model = torch.nn.Linear(4, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for inputs, targets in loader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
