"""[TIP103] The model class is imported from the project (`from nets import WideResNet`) and this file is linted alone: `.to(device)`, `.parameters()` to the optimizer and a call in the batch loop make it a model all the same (real-world pattern: `tipcheck train.py`)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from nets import WideResNet

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
train_set = datasets.CIFAR100("data", train=True, download=True, transform=transforms.ToTensor())
loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=4)
model = WideResNet(depth=28, widen_factor=10, num_classes=100).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)

for epoch in range(200):
    model.train()
    for inputs, targets in loader:
        logits = model(inputs)  # expect: TIP103[unsafe-fix]
        loss = criterion(logits, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
