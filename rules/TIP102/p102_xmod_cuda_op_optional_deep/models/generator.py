# expect: none
"""[TIP102] models/generator.py: the generator, made of the layers with the optional op."""
import torch

from .layers import BiasAct


class Generator(torch.nn.Module):
    def __init__(self, width: int = 64):
        super().__init__()
        self.body = torch.nn.Sequential(torch.nn.Linear(width, width), BiasAct(width))

    def forward(self, z):
        return self.body(z)
