# expect: none
"""[TIP101, TIP102, TIP103] `for batch in loader: inputs, labels = (t.to(device) for t in batch)` (real-world pattern: generic tuple batches)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from eeg import SleepEDF, DeepSleepNetLite

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
loader = DataLoader(SleepEDF("sleep-cassette"), batch_size=128, shuffle=True)
model = DeepSleepNetLite(n_classes=5).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(60):
    for batch in loader:
        inputs, labels = (t.to(device) for t in batch)
        loss = criterion(model(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
