# expect: none
"""[TIP503] Look-alike of p503_env_written_from_argument: the options are `--rank` and
`--world-size` for a TCP rendezvous the user starts by hand on each machine, with no launcher and
no `--local_rank`; nothing here expects torchrun."""
import argparse

import torch
import torch.distributed as dist


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="./data")
    parser.add_argument("--rank", type=int, default=0)
    parser.add_argument("--world-size", type=int, default=1)
    args = parser.parse_args()
    dist.init_process_group("nccl", init_method="tcp://10.0.0.1:29500", rank=args.rank, world_size=args.world_size)
    torch.cuda.set_device(0)
    model = torch.nn.parallel.DistributedDataParallel(torch.nn.Linear(2, 2).cuda())
    print(model)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
