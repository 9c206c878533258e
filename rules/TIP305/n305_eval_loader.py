# expect: none
"""[TIP305] The training loader has workers; the evaluation loader without workers only evaluates, a small cost next to training."""

import torch
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
train_loader = DataLoader(
    TensorDataset(torch.randn(64, 4), torch.randn(64, 1)),
    batch_size=8,
    shuffle=True,
    num_workers=2,
    persistent_workers=True,
)
val_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
model = torch.nn.Linear(4, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs.to(device)), targets.to(device)).backward()
        optimizer.step()
    with torch.no_grad():
        error = sum(torch.nn.functional.mse_loss(model(x.to(device)), y.to(device)) for x, y in val_loader)
