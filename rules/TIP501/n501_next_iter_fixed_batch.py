# expect: none
"""[TIP501] The training loader's sampler gets set_epoch every epoch; every few steps a fresh `next(iter(preview_loader))` takes the first batch of a DistributedSampler-backed preview loader to log samples. A fresh iterator's first batch is no pass over the data: nothing to report (real-world pattern: GAN / diffusion trainers logging a fixed batch)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from pix2pix import Facades, UNetGenerator, log_images


def main(epochs=200):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    train_set, preview_set = Facades("/data/facades", "train"), Facades("/data/facades", "val")
    train_sampler = DistributedSampler(train_set)
    train_loader = DataLoader(train_set, batch_size=1, sampler=train_sampler)
    preview_loader = DataLoader(preview_set, batch_size=4, sampler=DistributedSampler(preview_set))
    model = torch.nn.parallel.DistributedDataParallel(UNetGenerator().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-4, betas=(0.5, 0.999))
    for epoch in range(epochs):
        train_sampler.set_epoch(epoch)
        for step, (inputs, targets) in enumerate(train_loader):
            loss = torch.nn.functional.l1_loss(model(inputs.cuda()), targets.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if step % 500 == 0:
                preview_inputs, _ = next(iter(preview_loader))
                log_images(model(preview_inputs.cuda()), step)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
