# expect: none
"""[TIP101, TIP103] model.py: the network only (real-world pattern: model.py + train.py projects)."""
import torch.nn as nn


class MLPMixerTiny(nn.Module):
    def __init__(self, num_classes=10, dim=128):
        super().__init__()
        self.stem = nn.Conv2d(3, dim, kernel_size=4, stride=4)
        self.mix = nn.Sequential(nn.LayerNorm([dim, 8, 8]), nn.Flatten(2), nn.Linear(64, 64), nn.GELU())
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        return self.head(self.mix(self.stem(x)).mean(-1))
