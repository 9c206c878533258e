# expect: none
"""[TIP101, TIP102, TIP103] `torch.accelerator.current_accelerator(check_available=True)` with a CPU fallback (real-world pattern: torch>=2.6 device-agnostic scripts)."""
import torch
from torch import nn
from torch.utils.data import DataLoader

from fashion import fashion_mnist_train

acc = torch.accelerator.current_accelerator(check_available=True)
device = acc if acc is not None else torch.device("cpu")
loader = DataLoader(fashion_mnist_train(), batch_size=64, shuffle=True)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(5):
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
