# expect: none
"""[TIP102] An entry whose only launch starts one worker process per GPU (`mp.spawn` with `nprocs` read from `torch.cuda.device_count()`), and raises otherwise: without a GPU no worker starts, so the worker's `.cuda(gpu)` calls only run on GPUs (real-world pattern: contrastive-learning trainers that are DDP-only)."""

import argparse

import torch
import torch.multiprocessing as mp
import torch.nn as nn


def worker(gpu, gpus_per_node, args):
    print("worker", gpu, "of", gpus_per_node, args.url)
    encoder = nn.Linear(16, 8).cuda(gpu)
    queue = torch.randn(8, 256).cuda(gpu)
    features = encoder(torch.randn(32, 16).cuda(gpu, non_blocking=True))
    print((features @ queue).shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="tcp://127.0.0.1:23456")
    parser.add_argument("--multiprocessing", action="store_true")
    args = parser.parse_args()
    gpus_per_node = torch.cuda.device_count()
    if args.multiprocessing:
        mp.spawn(worker, nprocs=gpus_per_node, args=(gpus_per_node, args))
    else:
        raise NotImplementedError("only multi-process training is supported")


if __name__ == "__main__":
    main()
