# expect: none
"""[TIP102] train.py: the process group is gloo when there is no GPU; the device is chosen with a fallback."""
import argparse

import torch
import torch.distributed as dist

from comm import all_gather

parser = argparse.ArgumentParser()
parser.add_argument("--distributed", action="store_true")
args = parser.parse_args()
if args.distributed:
    dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo")
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
scores = torch.randn(8, device=device)
print(all_gather(scores.sum().item()))
