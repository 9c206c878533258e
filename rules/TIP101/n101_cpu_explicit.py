# expect: none
"""[TIP101, TIP102, TIP103] The script deliberately chooses `torch.device("cpu")` (a tiny model, faster there) and places the model and batches on it (real-world pattern: CPU-pinned baselines)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from sensors import HARWindows

device = torch.device("cpu")
torch.set_num_threads(4)
loader = DataLoader(HARWindows("train"), batch_size=64, shuffle=True)
model = nn.GRU(input_size=9, hidden_size=32, batch_first=True).to(device)
head = nn.Linear(32, 6).to(device)
optimizer = torch.optim.Adam([*model.parameters(), *head.parameters()], lr=1e-3)

for epoch in range(15):
    for windows, activity in loader:
        windows, activity = windows.to(device), activity.to(device)
        seq, _ = model(windows)
        loss = nn.functional.cross_entropy(head(seq[:, -1]), activity)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
