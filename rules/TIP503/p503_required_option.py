"""[TIP503] `--local_rank` is required: under torchrun, which passes no such argument, argparse
stops every rank with "the following arguments are required". A default cannot help a required
option, so there is no fix."""
import argparse

import torch
import torch.distributed as dist


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, required=True)  # expect: TIP503[no-fix]
    parser.add_argument("--batch-size", type=int, default=32)
    return parser.parse_args()


def main():
    args = parse()
    torch.cuda.set_device(args.local_rank)
    dist.init_process_group("nccl")
    model = torch.nn.parallel.DistributedDataParallel(
        torch.nn.Linear(4, 4).cuda(), device_ids=[args.local_rank]
    )
    print(model)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
