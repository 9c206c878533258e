"""[TIP102] Look-alike of a guarded choice with its branches swapped: the `else` of `if not
args.disable_cuda and torch.cuda.is_available():` runs when either part is false, so also on a
machine without CUDA, and there it asks for CUDA (the old reading took the leading `not` for the
whole test and so the `else` for the CUDA side)."""
import argparse

import torch

parser = argparse.ArgumentParser()
parser.add_argument("--disable-cuda", action="store_true")
args = parser.parse_args()

if not args.disable_cuda and torch.cuda.is_available():
    device = torch.device("cpu")
else:
    device = torch.device("cuda")  # expect: TIP102[unsafe-fix]

model = torch.nn.Linear(4, 2).to(device)
print(model(torch.randn(3, 4, device=device)).shape)
