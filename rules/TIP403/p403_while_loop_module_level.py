"""[TIP403] Module-level script: `from torch.optim import lr_scheduler`, a Plateau scheduler stepped bare in a `while` epoch loop (synthetic, notebook-style)."""
import torch
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader

from churn import ChurnDataset, TabularNet

loader = DataLoader(ChurnDataset("train.csv"), batch_size=512, shuffle=True)
model = TabularNet()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
plateau = lr_scheduler.ReduceLROnPlateau(optimizer, patience=3)
epoch, best = 0, float("inf")
while epoch < 100:
    epoch_loss = 0.0
    for features, target in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(features), target)
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item()
    plateau.step()  # expect: TIP403[no-fix]
    best = min(best, epoch_loss)
    epoch += 1
