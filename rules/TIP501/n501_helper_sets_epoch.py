# expect: none
"""[TIP501] set_epoch done inside the train_one_epoch helper on its own parameter names (real-world pattern: torchvision references-like helpers)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from vid import Kinetics400, R2Plus1D


def train_one_epoch(net, dl, opt, sampler_to_seed, ep):
    sampler_to_seed.set_epoch(ep)
    net.train()
    for clips, labels in dl:
        loss = torch.nn.functional.cross_entropy(net(clips.cuda()), labels.cuda())
        opt.zero_grad()
        loss.backward()
        opt.step()


def main(epochs=45):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = Kinetics400("/data/k400", frames=16)
    train_sampler = DistributedSampler(dataset)
    train_loader = DataLoader(dataset, batch_size=24, sampler=train_sampler, num_workers=12)
    model = torch.nn.parallel.DistributedDataParallel(R2Plus1D().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.64, momentum=0.9)
    for epoch in range(epochs):
        train_one_epoch(model, train_loader, optimizer, train_sampler, epoch)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
