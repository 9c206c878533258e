# expect: none
"""[TIP102] `.cuda()` on a project loss that keeps, per output stage, parameterless project losses in
an `nn.ModuleList` (None for the stages it skips) and weights read from a config object (indexed by
stage, multiplied): nothing in it is a parameter or a buffer, so Module.cuda() moves nothing
(real-world pattern: multi-stage pose-estimation losses built from a config)."""
from types import SimpleNamespace

import torch.nn as nn


class StageHeatmapLoss(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, pred, target):
        return (pred - target).pow(2).mean()


class StagedLoss(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.stages = cfg.stages
        self.factors = cfg.factors
        self.terms = nn.ModuleList([StageHeatmapLoss() if used else None for used in cfg.used])
        self.fallback = nn.Sequential(nn.Identity(), nn.Flatten())

    def forward(self, preds, targets):
        total = 0.0
        for i in range(self.stages):
            if self.terms[i] is not None:
                total = total + self.terms[i](preds[i], targets[i]) * self.factors[i]
        return total


config = SimpleNamespace(stages=2, factors=[1.0, 0.5], used=[True, False])
criterion = StagedLoss(config).cuda()
print(criterion)
