# expect: none
"""[TIP401, TIP402] PyTorch-GAN CycleGAN: a project class named LambdaLR supplies `.step` as lr_lambda to torch's LambdaLR, which is stepped per epoch (real-world: eriklindernoren/PyTorch-GAN cyclegan.py)."""
import argparse
import itertools

import torch
from torch.utils.data import DataLoader

from cyclegan_models import Discriminator, GeneratorResNet
from cyclegan_data import ImageDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epoch", type=int, default=0)
parser.add_argument("--n_epochs", type=int, default=200)
parser.add_argument("--decay_epoch", type=int, default=100)
parser.add_argument("--lr", type=float, default=0.0002)
opt = parser.parse_args()


class LambdaLR:
    def __init__(self, n_epochs, offset, decay_start_epoch):
        assert (n_epochs - decay_start_epoch) > 0, "Decay must start before the training session ends!"
        self.n_epochs = n_epochs
        self.offset = offset
        self.decay_start_epoch = decay_start_epoch

    def step(self, epoch):
        return 1.0 - max(0, epoch + self.offset - self.decay_start_epoch) / (self.n_epochs - self.decay_start_epoch)


G_AB, G_BA, D_A = GeneratorResNet(), GeneratorResNet(), Discriminator()
optimizer_G = torch.optim.Adam(itertools.chain(G_AB.parameters(), G_BA.parameters()), lr=opt.lr, betas=(0.5, 0.999))
optimizer_D_A = torch.optim.Adam(D_A.parameters(), lr=opt.lr, betas=(0.5, 0.999))
lr_scheduler_G = torch.optim.lr_scheduler.LambdaLR(
    optimizer_G, lr_lambda=LambdaLR(opt.n_epochs, opt.epoch, opt.decay_epoch).step
)
lr_scheduler_D_A = torch.optim.lr_scheduler.LambdaLR(
    optimizer_D_A, lr_lambda=LambdaLR(opt.n_epochs, opt.epoch, opt.decay_epoch).step
)
dataloader = DataLoader(ImageDataset("data/monet2photo", unaligned=True), batch_size=1, shuffle=True)

for epoch in range(opt.epoch, opt.n_epochs):
    for i, batch in enumerate(dataloader):
        real_A, real_B = batch["A"].cuda(), batch["B"].cuda()
        optimizer_G.zero_grad()
        loss_G = (G_BA(G_AB(real_A)) - real_A).abs().mean() + (G_AB(G_BA(real_B)) - real_B).abs().mean()
        loss_G.backward()
        optimizer_G.step()
        optimizer_D_A.zero_grad()
        loss_D_A = ((D_A(real_A) - 1) ** 2).mean() + (D_A(G_BA(real_B).detach()) ** 2).mean()
        loss_D_A.backward()
        optimizer_D_A.step()
    lr_scheduler_G.step()
    lr_scheduler_D_A.step()
