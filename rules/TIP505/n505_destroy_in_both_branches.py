# expect: none
"""[TIP505] As p505_destroy_on_rank_zero_only, but rank 0 reports first and the `else` branch destroys the group on the other ranks: every rank destroys it."""
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


def main(args):
    dist.init_process_group("nccl", rank=args.rank, world_size=args.world_size)
    model = DistributedDataParallel(torch.nn.Linear(8, 2).cuda(args.local_rank), device_ids=[args.local_rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(100):
        loss = model(torch.randn(4, 8, device=args.local_rank)).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if args.rank == 0:
        print("Destroying process group...")
        dist.destroy_process_group()
    else:
        dist.destroy_process_group()
