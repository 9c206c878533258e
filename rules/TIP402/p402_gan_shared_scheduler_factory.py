"""[TIP402] GAN: one project factory builds both StepLRs; the generator's steps at the top of the iteration, before generator_update() (the critic's steps right after critic_update(), which is right). Reported, with no fix: both schedulers (and optimizers) come from one factory, and which update steps which is not known for certain (synthetic)."""
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
        critic_update(critic, generator, c_opt, real)
        c_sched.step()
        generator_update(critic, generator, g_opt, real.size(0))


if __name__ == "__main__":
    main()
