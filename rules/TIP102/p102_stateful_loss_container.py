"""[TIP102] `.cuda()` on project losses that look like parameterless staged losses but hold state: a
ModuleList with a learned layer among its terms, a module taken from the config object and called,
terms handed in (a learned layer among them); Module.cuda() moves them and needs CUDA (look-alike of
staged losses read from a config)."""
from types import SimpleNamespace

import torch.nn as nn


class LayerTerms(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.factors = cfg.factors
        self.terms = nn.ModuleList([nn.MSELoss() if used else nn.Linear(4, 4) for used in cfg.used])

    def forward(self, preds, targets):
        return sum(t(p, y) * f for t, p, y, f in zip(self.terms, preds, targets, self.factors))


class ConfiguredHead(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.head = cfg.head

    def forward(self, x, y):
        return (self.head(x) - y).pow(2).mean()


class ListedTerms(nn.Module):
    def __init__(self, terms):
        super().__init__()
        self.terms = nn.ModuleList(terms)

    def forward(self, x, y):
        return sum(t(x, y) for t in self.terms)


config = SimpleNamespace(factors=[1.0], used=[False], head=nn.Linear(4, 4))
layered = LayerTerms(config).cuda()  # expect: TIP102[unsafe-fix]
configured = ConfiguredHead(config).cuda()  # expect: TIP102[unsafe-fix]
listed = ListedTerms([nn.L1Loss(), nn.Linear(4, 4)]).cuda()  # expect: TIP102[unsafe-fix]
