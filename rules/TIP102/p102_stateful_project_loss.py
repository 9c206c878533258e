"""[TIP102] `.cuda()` on project loss modules that do hold state (a learned temperature, a registered class-weight buffer, a layer, a module handed in and called, layers set with `setattr`): Module.cuda() moves it and needs CUDA (look-alike of parameterless project losses)."""
import torch
import torch.nn as nn


class TemperedLoss(nn.Module):
    def __init__(self):
        super().__init__()
        self.temperature = nn.Parameter(torch.ones(1))

    def forward(self, logits, labels):
        return nn.functional.cross_entropy(logits / self.temperature, labels)


class BalancedLoss(nn.Module):
    def __init__(self, counts):
        super().__init__()
        self.register_buffer("scale", 1.0 / torch.as_tensor(counts))

    def forward(self, logits, labels):
        return nn.functional.cross_entropy(logits, labels, weight=self.scale)


class ProjectedLoss(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.head = nn.Linear(dim, dim)

    def forward(self, a, b):
        return (self.head(a) - b).pow(2).mean()


class WrappedLoss(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, a, b):
        return self.inner(a, b)


class NamedTermsLoss(nn.Module):
    def __init__(self, names):
        super().__init__()
        self.names = names
        for name in names:
            setattr(self, name, nn.Linear(4, 4))

    def forward(self, x, y):
        return sum((getattr(self, n)(x) - y).abs().mean() for n in self.names)


tempered = TemperedLoss().cuda()  # expect: TIP102[unsafe-fix]
balanced = BalancedLoss([10, 3, 1]).cuda()  # expect: TIP102[unsafe-fix]
projected = ProjectedLoss(8).cuda()  # expect: TIP102[unsafe-fix]
wrapped = WrappedLoss(nn.Linear(4, 4)).cuda()  # expect: TIP102[unsafe-fix]
named = NamedTermsLoss(["rgb", "depth"]).cuda()  # expect: TIP102[unsafe-fix]
