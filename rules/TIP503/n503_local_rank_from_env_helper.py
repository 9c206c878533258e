# expect: none
"""[TIP503] Look-alike of p503_hyphen_option_minus_one: `--local_rank` is parsed, but right after
parsing the script replaces it (with the rank and world size) from a helper module that reads the
launcher's environment; what the parser gave is never used, so there is nothing to report here."""
import argparse

import torch
import torch.distributed as dist

from detlib.launch import ranks_from_environment


def main():
    parser = argparse.ArgumentParser("detector training")
    parser.add_argument("--local_rank", type=int, default=-1)
    parser.add_argument("--epochs", type=int, default=300)
    args = parser.parse_args()
    args.local_rank, args.rank, args.world_size = ranks_from_environment()
    if args.local_rank != -1:
        torch.cuda.set_device(args.local_rank)
        dist.init_process_group("nccl", rank=args.rank, world_size=args.world_size)
    print(args)
    if dist.is_initialized():
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
