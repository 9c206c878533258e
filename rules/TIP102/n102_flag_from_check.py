# expect: none
"""[TIP102] `gpu = torch.cuda.is_available()` is a flag computed from a CUDA check: `if cfg.gpu:` (an attribute of the same name, set from it) governs the `.cuda()` calls of its branch (look-alike of a name that holds a model moved with `.cuda()`)."""
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
cfg = parser.parse_args()
gpu = torch.cuda.is_available()
cfg.gpu = gpu


def build(cfg):
    backbone = nn.Linear(16, 8)
    if cfg.gpu:
        backbone = backbone.cuda()
    return backbone


print(build(cfg))
