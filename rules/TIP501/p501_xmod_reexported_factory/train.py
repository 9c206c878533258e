"""[TIP501, TIP502] train.py imports the factory through the module that re-exports it; the epoch loop never calls set_epoch. The sampler sits in the returned loader's batch sampler: reported on the helper call, as for any helper of another module (synthetic, modelled on config-driven classification repos)."""
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
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    loader = create_dataloader(config, Cifar10("/data/cifar10"))  # expect: TIP501[no-fix]
    model = torch.nn.parallel.DistributedDataParallel(ResNet().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for epoch in range(config["epochs"]):
        train_one_epoch(model, optimizer, loader)
    dist.destroy_process_group()


if __name__ == "__main__":
    main({"batch_size": 128, "epochs": 200})
