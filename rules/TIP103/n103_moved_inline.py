# expect: none
"""[TIP101, TIP102, TIP103] Inputs and targets moved inline in the calls: `criterion(model(x.to(device)), y.to(device))` (real-world pattern: compact training loops)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from stl import stl10_unlabeled_pairs, SimSiamLite

device = "cuda" if torch.cuda.is_available() else "cpu"
loader = DataLoader(stl10_unlabeled_pairs(), batch_size=256, shuffle=True, drop_last=True)
model = SimSiamLite().to(device)
criterion = nn.CosineEmbeddingLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

for epoch in range(100):
    for view1, view2, sign in loader:
        loss = criterion(model(view1.to(device)), model(view2.to(device)), sign.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
