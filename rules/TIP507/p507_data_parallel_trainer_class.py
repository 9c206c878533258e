"""[TIP507] A trainer class that keeps `self.model = nn.parallel.DataParallel(model)` and steps its optimizer in `train_epoch`: the wrapped model is trained, through attributes and methods."""
import torch
from torch import nn


class Trainer:
    def __init__(self, model, loader, lr=1e-3):
        self.model = nn.parallel.DataParallel(model.cuda())  # expect: TIP507[no-fix]
        self.loader = loader
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=lr)

    def train_epoch(self):
        for inputs, targets in self.loader:
            loss = nn.functional.mse_loss(self.model(inputs.cuda()), targets.cuda())
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
