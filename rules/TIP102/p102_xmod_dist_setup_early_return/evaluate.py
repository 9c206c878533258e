"""[TIP102] evaluate.py: calls `init_distributed(args)` as a statement of its own, a look-alike of calling a GPU-only setup; run without the launcher it returns early and the script goes on to `.cuda()` on a machine without CUDA."""
import argparse

import torch
import torch.nn as nn

from dist_setup import init_distributed


def main():
    args = argparse.Namespace()
    init_distributed(args)
    model = nn.Linear(16, 4).cuda()  # expect: TIP102[unsafe-fix]
    scores = model(torch.randn(8, 16).cuda())  # expect: TIP102[unsafe-fix]
    print(scores.argmax(1), args.distributed)


if __name__ == "__main__":
    main()
