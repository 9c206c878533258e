"""[TIP303, TIP302] The DDP model is trained by a helper over a loader without a DistributedSampler (and without `shuffle`): every rank trains on all of it, in the same order."""
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset


def train_epoch(model, loader, optimizer):
    for inputs, targets in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()


def worker(rank, world_size):
    dist.init_process_group("gloo", init_method="tcp://127.0.0.1:29512", rank=rank, world_size=world_size)
    model = DDP(torch.nn.Linear(6, 1))
    optimizer = torch.optim.Adam(model.parameters())
    loader = DataLoader(TensorDataset(torch.randn(32, 6), torch.randn(32, 1)), batch_size=4)  # expect: TIP302[unsafe-fix], TIP303[no-fix]
    for _ in range(2):
        train_epoch(model, loader, optimizer)


if __name__ == "__main__":
    mp.spawn(worker, args=(2,), nprocs=2)
