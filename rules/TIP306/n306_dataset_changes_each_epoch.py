# expect: none
"""[TIP306] The epoch loop re-draws the data set's items (`dataset.resample(epoch)`) in the main process: persistent workers would keep the copies sent before it, so restarting them each epoch is what this script needs."""

import torch
from torch.utils.data import DataLoader, Dataset


class Resampled(Dataset):
    def __init__(self):
        self.items = torch.randn(32, 2)

    def resample(self, seed):
        self.items = torch.randn(32, 2, generator=torch.Generator().manual_seed(seed))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]


dataset = Resampled()
loader = DataLoader(dataset, batch_size=8, shuffle=True, num_workers=2)
model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(4):
    dataset.resample(epoch)
    for x in loader:
        optimizer.zero_grad()
        model(x).pow(2).mean().backward()
        optimizer.step()
