# expect: none
"""[TIP302] The training loader draws through a `WeightedRandomSampler`: the sampler decides the order, and it is random."""
import torch
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

dataset = TensorDataset(torch.randn(64, 4), torch.randint(0, 2, (64,)))
sampler = WeightedRandomSampler(torch.ones(64), num_samples=64)
loader = DataLoader(dataset, batch_size=8, sampler=sampler)
model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for inputs, labels in loader:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(inputs), labels).backward()
        optimizer.step()
