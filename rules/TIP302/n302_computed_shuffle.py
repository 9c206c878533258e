# expect: none
"""[TIP302] One factory builds the training and the evaluation loader, with `shuffle=train`: the training one shuffles."""
import torch
from torch.utils.data import DataLoader, TensorDataset


def make_loader(train):
    data = TensorDataset(torch.randn(40, 3), torch.randn(40, 1))
    return DataLoader(data, batch_size=8, shuffle=train)


model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for inputs, targets in make_loader(True):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
