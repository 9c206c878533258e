"""[TIP103] The model goes to the chosen device, the `(xb, yb)` batches from the loader are fed to it unmoved (runnable; real-world pattern: tutorials that forget the batch)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

torch.manual_seed(0)
points = torch.randn(300, 2)
labels = (points.norm(dim=1) > 1.0).long()
loader = DataLoader(TensorDataset(points, labels), batch_size=30, shuffle=True)

model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)

for epoch in range(5):
    for xb, yb in loader:
        logits = model(xb)  # expect: TIP103[unsafe-fix]
        loss = criterion(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
