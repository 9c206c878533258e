# expect: none
"""[TIP504] As p504_spawn_worker, but the export helper returns at once on every rank but 0 (`if rank != 0: return`), and the training state goes through torch.distributed.checkpoint, which every rank must call."""
import torch
import torch.distributed as dist
import torch.distributed.checkpoint as dcp
import torch.multiprocessing as mp
from torch import save
from torch.nn.parallel import DistributedDataParallel as DDP


def export(model, rank):
    if rank != 0:
        return
    save(model.module.state_dict(), "export.pth")


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
    dcp.save({"model": model.state_dict()}, checkpoint_id="ckpt/")
    export(model, rank)
    dist.destroy_process_group()


if __name__ == "__main__":
    world_size = torch.cuda.device_count()
    mp.spawn(worker, args=(world_size,), nprocs=world_size)
