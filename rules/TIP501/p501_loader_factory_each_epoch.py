"""[TIP501, TIP502] A loader factory called at the top of every epoch builds a new DistributedSampler each time; nobody calls set_epoch, so each new sampler starts at epoch 0 and every epoch repeats one order (real-world pattern: curriculum / resolution-schedule trainers that rebuild loaders)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from seg import CityScapes, UNet


def make_loader(dataset, crop):
    dataset.set_crop(crop)
    sampler = DistributedSampler(dataset)  # expect: TIP501[no-fix]
    return DataLoader(dataset, batch_size=8, sampler=sampler, num_workers=4)


def main(epochs=100):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = CityScapes("/data/cityscapes")
    model = torch.nn.parallel.DistributedDataParallel(UNet().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(epochs):
        loader = make_loader(dataset, crop=256 if epoch < 50 else 512)
        for images, masks in loader:
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), masks.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
