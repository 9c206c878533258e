# expect: none
"""[TIP102] Device attributes that hold a choice, not CUDA alone: set on both branches of a CUDA
check, from a conditional expression, from a parameter that every construction passes, or set
again from outside (the look-alikes of a CUDA string kept in an attribute)."""
import torch


class MaskTracker:
    def __init__(self, frames: torch.Tensor, objects: int):
        if torch.cuda.is_available():
            self.device = "cuda"
        else:
            self.device = "cpu"
        self.prob = torch.zeros((objects + 1, frames.shape[0]), device=self.device)


class Refiner:
    def __init__(self, steps: int):
        self.steps = steps
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.buffer = torch.zeros(steps, device=self.device)


class TextEncoder(torch.nn.Module):
    def __init__(self, width: int = 512, device="cuda"):
        super().__init__()
        self.embed = torch.nn.Embedding(49408, width)
        self.device = device

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.embed(tokens.to(self.device))


class Sampler:
    def __init__(self):
        self.device = "cuda"

    def noise(self, n: int) -> torch.Tensor:
        return torch.randn(n, device=self.device)


def build(args):
    encoder = TextEncoder(width=256, device=args.device)
    sampler = Sampler()
    sampler.device = args.device
    return encoder, sampler
