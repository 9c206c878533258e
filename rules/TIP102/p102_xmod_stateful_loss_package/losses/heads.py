# expect: none
"""[TIP102] losses/heads.py: a base loss class that learns a projection (an nn.Linear), and a loss
that keeps running class centres as a registered buffer."""
import torch
import torch.nn as nn


class HeadLoss(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = nn.Linear(dim, dim)


class AlignLoss(HeadLoss):
    def __init__(self, dim, margin=0.2):
        super().__init__(dim)
        self.margin = margin
        self.rank = nn.MarginRankingLoss(margin=margin)

    def forward(self, a, b):
        return (self.proj(a) - b).pow(2).mean()


class CentreLoss(nn.Module):
    def __init__(self, classes, dim):
        super().__init__()
        self.register_buffer("centres", torch.zeros(classes, dim))

    def forward(self, feats, labels):
        return (feats - self.centres[labels]).pow(2).sum(1).mean()
