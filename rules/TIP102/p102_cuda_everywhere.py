"""[TIP102] A small classifier that calls `.cuda()` on the model and every batch (the parameterless loss too, which is not reported) with no CUDA check (runnable; real-world pattern: GPU-box scripts run on a laptop)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
features = torch.randn(256, 20)
classes = (features[:, 0] > 0).long()
loader = DataLoader(TensorDataset(features, classes), batch_size=32, shuffle=True)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 2))

    def forward(self, x):
        return self.layers(x)


model = Net().cuda()  # expect: TIP102[unsafe-fix]
criterion = nn.CrossEntropyLoss().cuda()  # holds nothing to move: no CUDA needed, not reported
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

for epoch in range(3):
    correct = 0
    for inputs, targets in loader:
        inputs, targets = inputs.cuda(), targets.cuda()  # expect: TIP102[unsafe-fix], TIP102[unsafe-fix]
        logits = model(inputs)
        loss = criterion(logits, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        correct += (logits.argmax(1) == targets).sum().item()
    print(f"epoch {epoch}: accuracy {correct / len(features):.3f}")
