# expect: none
"""[TIP101, TIP102, TIP103] Device chosen among CUDA, MPS, XPU and CPU by availability, then used for the model and the batches (real-world pattern: Apple-silicon and Intel GPU friendly scripts)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from fashion import fashion_mnist_train


def pick_device():
    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    if hasattr(torch, "xpu") and torch.xpu.is_available():
        return "xpu"
    return "cpu"


device = pick_device()
print(f"Using {device} device")
train_dataloader = DataLoader(fashion_mnist_train(), batch_size=64)
model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)).to(device)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)

for t in range(10):
    for batch, (X, y) in enumerate(train_dataloader):
        X, y = X.to(device), y.to(device)
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
