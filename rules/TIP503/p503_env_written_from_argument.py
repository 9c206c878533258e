"""[TIP503] The script writes LOCAL_RANK from its `--local_rank` (for libraries that read it) but
never reads the variable: under torchrun the default None overwrites nothing useful and every rank
takes GPU 0. With no default, the fix defaults to LOCAL_RANK when it is set and to None otherwise."""
import argparse
import os

import torch
import torch.distributed as dist


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="./data")
    parser.add_argument("--local_rank", type=int)  # expect: TIP503[safe-fix]
    args = parser.parse_args()
    if args.local_rank is not None:
        os.environ["LOCAL_RANK"] = str(args.local_rank)
    dist.init_process_group("nccl")
    torch.cuda.set_device(args.local_rank or 0)
    model = torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(2, 2).cuda())
    print(model)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
