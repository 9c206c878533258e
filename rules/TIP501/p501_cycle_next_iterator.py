"""[TIP501, TIP502] `itertools.cycle(loader)` kept in a variable and pulled with next() in a step loop, no set_epoch (real-world pattern: FixMatch-style / GAN training scripts)."""
import itertools

import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from ganlib import Discriminator, Generator, ImageSet


def main(iterations=200_000):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = ImageSet("/data/ffhq")
    sampler = DistributedSampler(dataset)  # expect: TIP501[no-fix]
    loader = DataLoader(dataset, batch_size=16, sampler=sampler, drop_last=True)
    batches = itertools.cycle(loader)

    netG = torch.nn.parallel.DistributedDataParallel(Generator().cuda())
    netD = torch.nn.parallel.DistributedDataParallel(Discriminator().cuda())
    optD = torch.optim.Adam(netD.parameters(), lr=2e-4, betas=(0.0, 0.99))

    for it in range(iterations):
        real = next(batches).cuda()
        fake = netG(torch.randn(real.size(0), 512, device="cuda")).detach()
        loss_d = torch.nn.functional.softplus(netD(fake)).mean() + torch.nn.functional.softplus(-netD(real)).mean()
        optD.zero_grad()
        loss_d.backward()
        optD.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
