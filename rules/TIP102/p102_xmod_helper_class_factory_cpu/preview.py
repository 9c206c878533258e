# expect: none
"""[TIP102] preview.py: shows a few mixed batches; it mentions no device at all."""
import torch

from loaders import make_loader

for batch in make_loader([torch.arange(6.0).view(3, 2)], 0, mix=True):
    print(batch)
