# expect: none
"""[TIP501] main.py: DistributedSampler and epoch loop here, the reshuffle happens in engine.train_one_epoch (real-world pattern: helpers that own the reshuffle)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from engine import train_one_epoch
from seg import SaltDataset, UNet


def main(epochs=60):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = SaltDataset("/data/tgs")
    loader = DataLoader(dataset, batch_size=16, sampler=DistributedSampler(dataset))
    model = torch.nn.parallel.DistributedDataParallel(UNet().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        train_one_epoch(model, loader, optimizer, epoch)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
