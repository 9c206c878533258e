"""[TIP503] `--local-rank` (the spelling torch.distributed.launch uses since torch 2.0) with the
launcher-era default -1 meaning "not distributed": under torchrun the script never even sees it is
distributed from this value. The fix keeps -1 when LOCAL_RANK is not set."""
import argparse
import os

import torch
import torch.distributed as dist

parser = argparse.ArgumentParser(description="segmentation training")
parser.add_argument("--local-rank", type=int, default=-1, help="set by the launcher")  # expect: TIP503[safe-fix]
parser.add_argument("--lr", type=float, default=0.01)


def main():
    args = parser.parse_args()
    if args.local_rank != -1:
        torch.cuda.set_device(args.local_rank)
        dist.init_process_group("nccl", init_method="env://")
    device = torch.device("cuda", max(args.local_rank, 0))
    model = torch.nn.Conv2d(3, 21, 1).to(device)
    if args.local_rank != -1:
        model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[args.local_rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    print(os.getpid(), optimizer)
    if dist.is_initialized():
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
