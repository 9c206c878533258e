"""[TIP101] Digits MLP: `for i, (images, labels) in enumerate(loader)` with `images = images.reshape(-1, 64)` first; the model stays on the CPU (runnable; real-world pattern: yunjey-style feedforward tutorial)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
images_all = torch.rand(256, 1, 8, 8)
labels_all = torch.randint(0, 10, (256,))
train_loader = DataLoader(TensorDataset(images_all, labels_all), batch_size=32, shuffle=True)


class NeuralNet(nn.Module):
    def __init__(self, in_features, hidden, num_classes):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(hidden, num_classes)

    def forward(self, x):
        return self.fc2(self.relu(self.fc1(x)))


model = NeuralNet(64, 100, 10)  # expect: TIP101[unsafe-fix]
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(2):
    for i, (images, labels) in enumerate(train_loader):
        images = images.reshape(-1, 64)
        logits = model(images)
        loss = criterion(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if (i + 1) % 4 == 0:
            print(f"epoch {epoch + 1} step {i + 1}: loss {loss.item():.4f}")
