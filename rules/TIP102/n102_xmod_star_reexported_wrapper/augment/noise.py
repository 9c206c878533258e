# expect: none
"""[TIP102] augment/noise.py: a CPU transform next to the blender."""
import torch


def jitter(x, scale=0.01):
    return x + scale * torch.randn_like(x)
