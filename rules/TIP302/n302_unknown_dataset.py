# expect: none
"""[TIP302] The dataset comes from a library outside the project (its style is not known: it may stream), so the loader's order is left alone."""
import torch
from somewhere_else import load_corpus
from torch.utils.data import DataLoader

dataset = load_corpus("train")
loader = DataLoader(dataset, batch_size=8)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for inputs, targets in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
