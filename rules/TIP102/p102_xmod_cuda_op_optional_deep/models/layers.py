# expect: none
"""[TIP102] models/layers.py: the compiled op is optional here: without it the layer falls back to
plain PyTorch, so importing this module needs no GPU."""
import torch

try:
    from ops import fused
except Exception:
    fused = None


class BiasAct(torch.nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.bias = torch.nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        if fused is None:
            return torch.nn.functional.leaky_relu(x + self.bias, 0.2)
        return fused.forward(x, self.bias)
