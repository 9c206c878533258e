"""[TIP101] Toy regression tutorial: an MLP fit on synthetic data through a DataLoader; nothing ever picks a GPU, so it trains on the CPU (runnable; real-world pattern: first-steps tutorials)."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
X = torch.randn(512, 8)
true_w = torch.randn(8, 1)
Y = X @ true_w + 0.1 * torch.randn(512, 1)
loader = DataLoader(TensorDataset(X, Y), batch_size=64, shuffle=True)

model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))  # expect: TIP101[unsafe-fix]
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

for epoch in range(3):
    for xb, yb in loader:
        pred = model(xb)
        loss = loss_fn(pred, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
