# expect: none
"""[TIP507] The model class both scripts of this folder build: train.py trains one on a single GPU, evaluate.py wraps another in DataParallel for inference only."""
from torch import nn


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))

    def forward(self, x):
        return self.body(x)
