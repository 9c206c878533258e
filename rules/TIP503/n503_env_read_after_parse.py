# expect: none
"""[TIP503] Look-alike of p503_hyphen_option_minus_one: after parsing, the script takes LOCAL_RANK
from the environment when it is there, so torchrun's value wins over the default."""
import argparse
import os

import torch
import torch.distributed as dist

parser = argparse.ArgumentParser(description="segmentation training")
parser.add_argument("--local-rank", type=int, default=-1, help="set by the launcher")
parser.add_argument("--lr", type=float, default=0.01)


def main():
    args = parser.parse_args()
    if "LOCAL_RANK" in os.environ:
        args.local_rank = int(os.environ["LOCAL_RANK"])
    if args.local_rank != -1:
        torch.cuda.set_device(args.local_rank)
        dist.init_process_group("nccl", init_method="env://")
    device = torch.device("cuda", max(args.local_rank, 0))
    model = torch.nn.Conv2d(3, 21, 1).to(device)
    if args.local_rank != -1:
        model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[args.local_rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    print(optimizer)
    if dist.is_initialized():
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
