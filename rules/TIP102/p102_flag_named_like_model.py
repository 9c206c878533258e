"""[TIP102] `backbone = Net().cuda()` keeps a model, not a CUDA flag: `if cfg.backbone == "small":` (the attribute shares its name) is no CUDA check, and the `.cuda()` calls in its branches run on a CPU-only machine as well."""
import argparse

import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--backbone", default="small")
cfg = parser.parse_args()


def build(cfg):
    if cfg.backbone == "small":
        backbone = nn.Linear(16, 8).cuda()  # expect: TIP102[unsafe-fix]
    else:
        backbone = nn.Linear(16, 64).cuda()  # expect: TIP102[unsafe-fix]
    return backbone


print(build(cfg))
