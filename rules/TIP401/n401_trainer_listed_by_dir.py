# expect: none
"""[TIP401, TIP402] A GAN trainer logs every loss attribute it finds with `dir(trainer)`, and steps its generator's scheduler after each update (real-world pattern: loss loggers over dir(trainer) in image-translation code)."""
import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from translation import Edges2Shoes, Generator, Discriminator


class PairTrainer:
    def __init__(self):
        self.gen = Generator().cuda()
        self.dis = Discriminator().cuda()
        self.gen_opt = torch.optim.Adam(self.gen.parameters(), lr=1e-4, betas=(0.5, 0.999))
        self.dis_opt = torch.optim.Adam(self.dis.parameters(), lr=1e-4, betas=(0.5, 0.999))
        self.gen_scheduler = StepLR(self.gen_opt, step_size=100000, gamma=0.5)

    def update_learning_rate(self):
        self.gen_scheduler.step()

    def update(self, a, b):
        self.dis_opt.zero_grad()
        self.loss_dis = self.dis.loss(self.gen(a).detach(), b)
        self.loss_dis.backward()
        self.dis_opt.step()
        self.gen_opt.zero_grad()
        self.loss_gen = self.dis.gen_loss(self.gen(a), b)
        self.loss_gen.backward()
        self.gen_opt.step()


def log_losses(step, trainer):
    names = [n for n in dir(trainer) if n.startswith("loss_") and not callable(getattr(trainer, n))]
    print(step, {n: float(getattr(trainer, n)) for n in names})


def main():
    trainer = PairTrainer()
    loader = DataLoader(Edges2Shoes("train"), batch_size=1, shuffle=True)
    for step, (a, b) in enumerate(loader):
        trainer.update(a.cuda(), b.cuda())
        trainer.update_learning_rate()
        log_losses(step, trainer)


if __name__ == "__main__":
    main()
