# expect: none
"""[TIP102] `.cuda()` on project loss modules that hold no parameters and no buffers (their `__init__` keeps numbers, flags, a plain helper object, a parameterless torch loss given no weight): Module.cuda() moves nothing (real-world pattern: detection losses moved with `.cuda()` in the criterion's constructor)."""
import torch.nn as nn
import torch.nn.functional as F


class BoxOverlap:
    def __init__(self, eps=1e-7):
        self.eps = eps

    def __call__(self, a, b):
        return (a - b).abs().sum() + self.eps


class FocalTerm(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, scores, targets):
        return F.binary_cross_entropy(scores, targets)


class BoxTerm(nn.Module):
    def __init__(self, bins, use_extra=False):
        super().__init__()
        self.bins = bins
        self.use_extra = use_extra
        self.overlap = BoxOverlap(eps=1e-9)

    def forward(self, a, b):
        return self.overlap(a, b) * (self.bins + 1)


class PixelLoss(nn.Module):
    def __init__(self, weight=None, ignore_index=255):
        super().__init__()
        self.nll = nn.NLLLoss(weight, ignore_index=ignore_index)

    def forward(self, logits, labels):
        return self.nll(F.log_softmax(logits, 1), labels)


class Criterion:
    def __init__(self, bins):
        self.bins = bins
        self.focal = FocalTerm().cuda()
        self.box = BoxTerm(self.bins, True).cuda()
        self.pixel = PixelLoss(ignore_index=self.bins).cuda()


print(Criterion(16).bins)
