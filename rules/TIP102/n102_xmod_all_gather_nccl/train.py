# expect: none
"""[TIP102] train.py: the only process group is NCCL, on the distributed branch; the single-process path chooses its device with a fallback."""
import argparse

import torch
import torch.distributed as dist

from comm import all_gather

parser = argparse.ArgumentParser()
parser.add_argument("--distributed", action="store_true")
args = parser.parse_args()
if args.distributed:
    dist.init_process_group(backend="nccl", init_method="env://")
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
scores = torch.randn(8, device=device)
print(all_gather(scores.sum().item()))
