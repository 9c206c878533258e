"""[TIP102] `--gpu` picks one GPU; without it the script wraps the model in DataParallel and calls `.cuda()`: the `else` of `if args.gpu is not None:` is the path a CPU-only user takes, with no CUDA check on it (real-world pattern: ImageNet-style scripts without the `is_available()` branch)."""
import argparse

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--gpu", type=int, default=None)
args = parser.parse_args()

model = nn.Linear(32, 10)
if args.gpu is not None:
    model = model.cuda(args.gpu)
else:
    model = nn.DataParallel(model).cuda()  # expect: TIP102[unsafe-fix]
print(model)
