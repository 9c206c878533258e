# expect: none
"""[TIP102] sample.py: samples from the generator with a hard-coded CUDA device. It imports the
generator, which imports the layers, which import an op compiled from CUDA sources as it loads: the
script cannot even start without the CUDA toolkit and a GPU, so its placements are by design
(real-world pattern: a GAN's test script three imports away from its custom CUDA kernels)."""
import torch

from models.generator import Generator

device = "cuda:0"
netG = Generator().to(device)
with torch.no_grad():
    images = netG(torch.randn(16, 64, device=device))
torch.save(images.cpu(), "samples.pt")
