# expect: none
"""[TIP501] train.py imports the factory through the module that re-exports it, and sets the epoch of the loader's batch sampler's sampler when it has one: nothing to report (synthetic, modelled on config-driven classification repos)."""
import os
import torch
import torch.distributed as dist

from datasets import create_dataloader
from nets import ResNet, Cifar10


def train_one_epoch(model, optimizer, loader):
    for images, labels in loader:
        loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main(config):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    loader = create_dataloader(config, Cifar10("/data/cifar10"))
    model = torch.nn.parallel.DistributedDataParallel(ResNet().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for epoch in range(config["epochs"]):
        if hasattr(loader.batch_sampler.sampler, "set_epoch"):
            loader.batch_sampler.sampler.set_epoch(epoch)
        train_one_epoch(model, optimizer, loader)
    dist.destroy_process_group()


if __name__ == "__main__":
    main({"batch_size": 128, "epochs": 200})
