# expect: none
"""[TIP102] The options get a CPU device, which becomes CUDA only under `if not args.disable_cuda and
torch.cuda.is_available():`. The `not` belongs to the switch: the availability check still governs
the branch (real-world pattern: pose-estimation training scripts with a `--disable-cuda` switch; the
old reading took the leading `not` for the whole test, and so the branch for the CPU side)."""
import argparse

import torch


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--disable-cuda", action="store_true")
    args = parser.parse_args()
    args.device = torch.device("cpu")
    args.pin_memory = False
    if not args.disable_cuda and torch.cuda.is_available():
        args.device = torch.device("cuda")
        args.pin_memory = True
    return args


args = parse_args()
model = torch.nn.Linear(4, 2).to(args.device)
print(model(torch.randn(3, 4, device=args.device)).shape)
