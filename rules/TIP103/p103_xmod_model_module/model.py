# expect: none
"""[TIP103] model.py: a small UNet; it is placed and trained in train.py (real-world pattern: model.py + train.py projects)."""
import torch
import torch.nn as nn


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True), nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, n_channels=3, n_classes=1):
        super().__init__()
        self.down = double_conv(n_channels, 64)
        self.pool = nn.MaxPool2d(2)
        self.mid = double_conv(64, 128)
        self.up = nn.ConvTranspose2d(128, 64, 2, stride=2)
        self.outc = nn.Conv2d(128, n_classes, 1)

    def forward(self, x):
        d = self.down(x)
        u = self.up(self.mid(self.pool(d)))
        return self.outc(torch.cat([d, u], dim=1))
