# expect: none
"""[TIP101, TIP102, TIP103] The model and the whole dataset are created with `device=` at construction, so neither needs a `.to()` (real-world pattern: small GPU-resident datasets)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda" if torch.cuda.is_available() else "cpu"
X = torch.randn(10_000, 32, device=device)
w = torch.randn(32, 1, device=device)
y = (X @ w > 0).float()
loader = DataLoader(TensorDataset(X, y), batch_size=500, shuffle=True)

model = nn.Linear(32, 1, device=device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
loss_fn = nn.BCEWithLogitsLoss()

for epoch in range(20):
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
