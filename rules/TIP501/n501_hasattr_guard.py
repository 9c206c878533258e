# expect: none
"""[TIP501] set_epoch behind `hasattr(train_loader.sampler, "set_epoch")` (real-world pattern: generic trainers that may or may not be distributed)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from pose import COCOKeypoints, HRNet


def train(model, train_loader, optimizer, epochs):
    for epoch in range(epochs):
        if hasattr(train_loader.sampler, "set_epoch"):
            train_loader.sampler.set_epoch(epoch)
        model.train()
        for images, heatmaps in train_loader:
            loss = ((model(images.cuda()) - heatmaps.cuda()) ** 2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def main():
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = COCOKeypoints("/data/coco")
    loader = DataLoader(dataset, batch_size=32, sampler=DistributedSampler(dataset), num_workers=8)
    model = torch.nn.parallel.DistributedDataParallel(HRNet().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    train(model, loader, optimizer, epochs=210)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
