"""[TIP103] The inputs are moved inline, the targets reach the loss unmoved (real-world pattern: `model(x.to(device))` one-liners)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
train_set = datasets.CIFAR100("data", train=True, download=True, transform=transforms.ToTensor())
loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=4)
model = models.wide_resnet50_2(num_classes=100).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)

for epoch in range(200):
    for x, y in loader:
        out = model(x.to(device))
        loss = criterion(out, y)  # expect: TIP103[unsafe-fix]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
