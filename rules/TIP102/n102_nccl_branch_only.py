# expect: none
"""[TIP102] A hard-coded `device="cuda"` inside the NCCL branch only: that branch runs on GPUs by design, and the single-process path chooses its device with a fallback (look-alike of a CUDA placement on the shared path)."""
import argparse
import os

import torch
import torch.distributed as dist

parser = argparse.ArgumentParser()
parser.add_argument("--distributed", action="store_true")
args = parser.parse_args()

if args.distributed:
    dist.init_process_group(backend="nccl")
    rank = int(os.environ["LOCAL_RANK"])
    noise = torch.zeros(10, device="cuda")
else:
    noise = torch.zeros(10, device="cuda" if torch.cuda.is_available() else "cpu")
print(noise.sum().item())
