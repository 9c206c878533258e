# expect: none
"""[TIP102] `main()` chooses the GPUs the process sees from a `--gpus` list (`CUDA_VISIBLE_DEVICES`) and then uses `.cuda()`, also in the worker it calls: GPU-only by design (real-world pattern: semantic-segmentation training tools with a `train_gpu` list)."""
import argparse
import os

import torch
import torch.nn as nn


def worker(gpus, steps):
    model = nn.DataParallel(nn.Conv2d(3, 8, 3).cuda())
    for _ in range(steps):
        images = torch.randn(2 * len(gpus), 3, 32, 32).cuda(non_blocking=True)
        print(model(images).shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gpus", type=int, nargs="+", default=[0])
    args = parser.parse_args()
    os.environ["CUDA_VISIBLE_DEVICES"] = ",".join(str(g) for g in args.gpus)
    worker(args.gpus, 5)


if __name__ == "__main__":
    main()
