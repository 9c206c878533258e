"""[TIP103] `if torch.cuda.is_available(): model.cuda()` with the batches never moved: fine on a laptop, "Expected all tensors to be on the same device" on a GPU box (real-world pattern: guarded `.cuda()` scripts)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from audio import UrbanSound8K


class AudioCNN(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(32, n_classes)

    def forward(self, x):
        return self.fc(self.conv(x))


loader = DataLoader(UrbanSound8K("folds/1-9"), batch_size=64, shuffle=True)
model = AudioCNN(n_classes=10)
if torch.cuda.is_available():
    model.cuda()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(50):
    model.train()
    for spectrograms, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(spectrograms), labels)  # expect: TIP103[unsafe-fix]
        loss.backward()
        optimizer.step()
