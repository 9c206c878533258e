"""[TIP501, TIP502] A generator walks the loader forever (`while True: for batch in loader: yield batch`) and the step loop pulls from it with next(); no set_epoch. Each pass begins at the generator's `while True`: the fix counts the passes there (real-world pattern: StyleGAN / diffusion trainers' `sample_data`)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from stylegan import Discriminator, Generator, MultiResolutionDataset


def sample_data(loader):
    while True:
        for batch in loader:
            yield batch


def train(iterations=800_000):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = MultiResolutionDataset("/data/ffhq_lmdb", resolution=256)
    loader = DataLoader(dataset, batch_size=16, sampler=DistributedSampler(dataset), drop_last=True)  # expect: TIP501[safe-fix]
    generator = torch.nn.parallel.DistributedDataParallel(Generator(256).cuda())
    discriminator = torch.nn.parallel.DistributedDataParallel(Discriminator(256).cuda())
    d_optim = torch.optim.Adam(discriminator.parameters(), lr=0.002, betas=(0, 0.99))
    batches = sample_data(loader)
    for idx in range(iterations):
        real = next(batches).cuda()
        fake = generator(torch.randn(real.size(0), 512, device="cuda"))
        d_loss = torch.nn.functional.softplus(discriminator(fake.detach())).mean()
        d_loss = d_loss + torch.nn.functional.softplus(-discriminator(real)).mean()
        d_optim.zero_grad()
        d_loss.backward()
        d_optim.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    train()
