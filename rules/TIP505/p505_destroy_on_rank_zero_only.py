"""[TIP505] main() destroys the group only under `args.rank == 0`: every other rank exits with its group alive. Which ranks should destroy it is for the author to say, so no fix is offered."""
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


def main(args):
    dist.init_process_group("nccl", rank=args.rank, world_size=args.world_size)  # expect: TIP505[no-fix]
    model = DistributedDataParallel(torch.nn.Linear(8, 2).cuda(args.local_rank), device_ids=[args.local_rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(100):
        loss = model(torch.randn(4, 8, device=args.local_rank)).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if args.world_size > 1 and args.rank == 0:
        print("Destroying process group...")
        dist.destroy_process_group()
