"""[TIP102] DCGAN loop: models placed with the device idiom, but the noise and the label tensors are created with `device="cuda"` (real-world pattern: DCGAN ports); anchored on the keyword argument."""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader

from dcgan import Discriminator, Generator, celeba

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
nz = 100
real_label, fake_label = 1.0, 0.0

dataloader = DataLoader(celeba("data/celeba"), batch_size=128, shuffle=True, num_workers=2)
netG = Generator(nz).to(device)
netD = Discriminator().to(device)
criterion = nn.BCELoss()
optimizerD = optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))

for epoch in range(5):
    for i, data in enumerate(dataloader, 0):
        real_cpu = data[0].to(device)
        b_size = real_cpu.size(0)
        label = torch.full(
            (b_size,),
            real_label,
            dtype=torch.float,
            device="cuda",  # expect: TIP102[unsafe-fix]
        )
        netD.zero_grad()
        errD_real = criterion(netD(real_cpu).view(-1), label)
        errD_real.backward()
        noise = torch.randn(b_size, nz, 1, 1, device="cuda")  # expect: TIP102[unsafe-fix]
        fake = netG(noise)
        label.fill_(fake_label)
        errD_fake = criterion(netD(fake.detach()).view(-1), label)
        errD_fake.backward()
        optimizerD.step()
        netG.zero_grad()
        label.fill_(real_label)
        errG = criterion(netD(fake).view(-1), label)
        errG.backward()
        optimizerG.step()
