"""[TIP102] A look-alike of a per-GPU launcher: it spawns one worker per GPU when there are several, but otherwise calls the worker directly in this process, which is how it runs on a machine without a GPU. The worker's `.cuda(gpu)` calls then crash there."""

import argparse

import torch
import torch.multiprocessing as mp
import torch.nn as nn


def worker(gpu, gpus_per_node, args):
    encoder = nn.Linear(16, 8).cuda(gpu)  # expect: TIP102[no-fix]
    features = encoder(torch.randn(32, 16).cuda(gpu))  # expect: TIP102[no-fix]
    print(features.shape, args.epochs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    gpus_per_node = torch.cuda.device_count()
    if gpus_per_node > 1:
        mp.spawn(worker, nprocs=gpus_per_node, args=(gpus_per_node, args))
    else:
        worker(0, 1, args)


if __name__ == "__main__":
    main()
