# expect: none
"""[TIP102] dist_setup.py: sets up distributed training when the launcher's variables are there, and otherwise returns early, before `set_device` and the NCCL group: it is no GPU-only function."""
import os

import torch
import torch.distributed as dist


def init_distributed(args):
    if "RANK" not in os.environ:
        args.distributed = False
        return
    args.distributed = True
    args.gpu = int(os.environ["LOCAL_RANK"])
    torch.cuda.set_device(args.gpu)
    dist.init_process_group(backend="nccl")
