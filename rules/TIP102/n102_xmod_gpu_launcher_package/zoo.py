# expect: none
"""[TIP102] zoo.py: model definitions picked by name from a table; a helper pads with a tensor made by `.cuda()`. Only engine.py imports this module, and only the GPU-only launcher imports engine.py, so its code never runs without CUDA (real-world pattern: model zoos of distributed-only classification trainers)."""
import torch
import torch.nn as nn


def pad_columns(x):
    return torch.cat((x, torch.zeros(x.shape[0], 1).cuda()), dim=1)


class Small(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(17, 4)

    def forward(self, x):
        return self.fc(pad_columns(x))


ARCHS = {"small": Small}
