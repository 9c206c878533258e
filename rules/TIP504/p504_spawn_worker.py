"""[TIP504] A worker started by `mp.spawn` on every GPU saves the checkpoint with `save` imported from torch; the spawn itself is not guarded, so every worker writes it."""
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import save
from torch.nn.parallel import DistributedDataParallel as DDP


def worker(rank, world_size):
    dist.init_process_group("nccl", init_method="tcp://127.0.0.1:29500", rank=rank, world_size=world_size)
    torch.cuda.set_device(rank)
    model = DDP(torch.nn.Linear(32, 8).cuda(rank), device_ids=[rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for it in range(1000):
        out = model(torch.randn(64, 32, device=rank))
        optimizer.zero_grad()
        out.mean().backward()
        optimizer.step()
    checkpoint = {"model": model.module.state_dict(), "optimizer": optimizer.state_dict(), "iteration": it}
    save(checkpoint, "checkpoint.pth")  # expect: TIP504[unsafe-fix]
    dist.destroy_process_group()


if __name__ == "__main__":
    world_size = torch.cuda.device_count()
    mp.spawn(worker, args=(world_size,), nprocs=world_size)
