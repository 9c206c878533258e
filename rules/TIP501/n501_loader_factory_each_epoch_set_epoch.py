# expect: none
"""[TIP501] A loader factory rebuilds the DistributedSampler every epoch and the loop calls `loader.sampler.set_epoch(epoch)` on the new one: each epoch is reshuffled (real-world pattern: progressive-resizing trainers done right)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from seg import CityScapes, UNet


def make_loader(dataset, crop):
    dataset.set_crop(crop)
    return DataLoader(dataset, batch_size=8, sampler=DistributedSampler(dataset), num_workers=4)


def main(epochs=100):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = CityScapes("/data/cityscapes")
    model = torch.nn.parallel.DistributedDataParallel(UNet().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(epochs):
        loader = make_loader(dataset, crop=256 if epoch < 50 else 512)
        loader.sampler.set_epoch(epoch)
        for images, masks in loader:
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), masks.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
