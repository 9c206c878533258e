# expect: none
"""[TIP302] The training loader shuffles; the evaluation loader beside it keeps its order on purpose, and only evaluates (no step, no backward)."""
import torch
from torch.utils.data import DataLoader, TensorDataset

train_set = TensorDataset(torch.randn(64, 4), torch.randn(64, 1))
val_set = TensorDataset(torch.randn(16, 4), torch.randn(16, 1))
train_loader = DataLoader(train_set, batch_size=8, shuffle=True)
val_loader = DataLoader(val_set, batch_size=8, shuffle=False)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(5):
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    with torch.no_grad():
        total = sum(torch.nn.functional.mse_loss(model(x), y) for x, y in val_loader)
