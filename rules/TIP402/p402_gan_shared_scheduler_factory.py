"""[TIP402] GAN: one project factory builds both StepLRs (generator's and discriminator's), and both step at the top of the iteration, before the two update helpers: reported, but with no fix, since the facts see both schedulers (and both optimizers) as one and cannot tell which update steps which (synthetic)."""
import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from faces import FaceCrops, Generator, Critic


def build_scheduler(optimizer, every):
    return StepLR(optimizer, step_size=every, gamma=0.5)


def critic_update(critic, generator, optimizer, real):
    fake = generator(torch.randn(real.size(0), 128)).detach()
    loss = critic(fake).mean() - critic(real).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def generator_update(critic, generator, optimizer, batch_size):
    loss = -critic(generator(torch.randn(batch_size, 128))).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def main(iterations=100000):
    loader = DataLoader(FaceCrops("/data/faces"), batch_size=64, shuffle=True, drop_last=True)
    generator, critic = Generator(), Critic()
    g_opt = torch.optim.Adam(generator.parameters(), lr=1e-4, betas=(0.0, 0.99))
    c_opt = torch.optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.99))
    g_sched = build_scheduler(g_opt, 20000)
    c_sched = build_scheduler(c_opt, 20000)
    for real in loader:
        g_sched.step()  # expect: TIP402[no-fix]
        c_sched.step()
        critic_update(critic, generator, c_opt, real)
        generator_update(critic, generator, g_opt, real.size(0))


if __name__ == "__main__":
    main()
