# expect: none
"""[TIP506] A driver whose command names `torch.distributed.launcher` (the elastic launcher API torchrun is built on), and a help text that mentions the old module: neither runs `torch.distributed.launch`."""
import argparse
import os

parser = argparse.ArgumentParser(description="Replaces torch.distributed.launch for our cluster")
parser.add_argument("--gpus", type=int, default=2)
args = parser.parse_args()
print("do not use torch.distributed.launch; this script calls torchrun")
os.system(f"python -c 'import torch.distributed.launcher.api' && torchrun --nproc_per_node={args.gpus} train.py")
