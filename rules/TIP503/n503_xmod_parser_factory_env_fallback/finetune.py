# expect: none
"""[TIP503] finetune.py: parses with the helper's factory, then prefers the LOCAL_RANK that torchrun sets."""
import os

import torch
import torch.distributed as dist

from tools.options import build_parser

args = build_parser().parse_args()
if "LOCAL_RANK" in os.environ:
    args.local_rank = int(os.environ["LOCAL_RANK"])
if args.local_rank != -1:
    torch.cuda.set_device(args.local_rank)
    dist.init_process_group("nccl")
model = torch.nn.Linear(4, 2)
print(args.epochs, model(torch.randn(1, 4)))
dist.destroy_process_group() if dist.is_initialized() else None
