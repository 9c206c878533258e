# expect: none
"""[TIP503] Look-alike of p503_local_rank_default_zero: the script starts one process per GPU
itself (`Process(target=...)`) and gives each its index as `local_rank`; no launcher is involved,
so the command-line default is only the single-process value."""
import argparse

import torch
import torch.distributed as dist
from torch.multiprocessing import Process


def run(local_rank, world_size, args):
    torch.cuda.set_device(local_rank)
    dist.init_process_group("nccl", init_method="tcp://127.0.0.1:29511", rank=local_rank, world_size=world_size)
    print(local_rank, args.lr)
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, default=0)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--gpus", type=int, default=2)
    args = parser.parse_args()
    workers = [Process(target=run, args=(rank, args.gpus, args)) for rank in range(args.gpus)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


if __name__ == "__main__":
    main()
