# expect: none
"""[TIP101, TIP102, TIP103] The whole dataset is moved to the device before it is wrapped in a TensorDataset, so batches come out already placed (real-world pattern: small datasets kept on the GPU)."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
data = np.load("california_housing.npz")
X_train = torch.tensor(data["x"], dtype=torch.float32).to(device)
y_train = torch.tensor(data["y"], dtype=torch.float32).unsqueeze(1).to(device)
loader = DataLoader(TensorDataset(X_train, y_train), batch_size=256, shuffle=True)

model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 1)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(100):
    for xb, yb in loader:
        loss = nn.functional.mse_loss(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
