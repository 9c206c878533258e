# expect: none
"""[TIP302] A look-alike over an IterableDataset: the loader cannot shuffle a stream (torch refuses `shuffle=True` there), so no `shuffle` is what it should have."""
import torch
from torch.utils.data import DataLoader, IterableDataset


class Noise(IterableDataset):
    def __iter__(self):
        for _ in range(32):
            yield torch.randn(4), torch.randn(1)


loader = DataLoader(Noise(), batch_size=8)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for inputs, targets in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
