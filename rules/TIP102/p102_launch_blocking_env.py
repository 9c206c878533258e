"""[TIP102] `main()` sets `CUDA_LAUNCH_BLOCKING`, a debugging switch that chooses no GPU, then calls a worker that uses `.cuda()`: nothing here says the script only runs on GPUs (look-alike of choosing `CUDA_VISIBLE_DEVICES`)."""
import os

import torch
import torch.nn as nn


def worker(steps):
    model = nn.Conv2d(3, 8, 3).cuda()  # expect: TIP102[unsafe-fix]
    for _ in range(steps):
        images = torch.randn(2, 3, 32, 32).cuda(non_blocking=True)  # expect: TIP102[unsafe-fix]
        print(model(images).shape)


def main():
    os.environ["CUDA_LAUNCH_BLOCKING"] = "1"
    worker(5)


if __name__ == "__main__":
    main()
