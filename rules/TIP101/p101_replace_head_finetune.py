"""[TIP101] Transfer learning on synthetic images: a torchvision ResNet-18 whose `fc` is replaced after construction, trained without ever picking a GPU (runnable; real-world pattern: the finetuning tutorial's "replace the classifier" step)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models

torch.manual_seed(0)
images = torch.randn(32, 3, 32, 32)
labels = torch.randint(0, 2, (32,))
loader = DataLoader(TensorDataset(images, labels), batch_size=8, shuffle=True)

model = models.resnet18(weights=None)  # expect: TIP101[unsafe-fix]
model.fc = nn.Linear(model.fc.in_features, 2)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(2):
    model.train()
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
