"""[TIP102] sample.py: the same script, but the layers' compiled op is optional (they fall back to
PyTorch), so it starts on a machine without CUDA and the hard-coded device crashes there (the
look-alike of a script that needs a CUDA op three imports away)."""
import torch

from models.generator import Generator

device = "cuda:0"  # expect: TIP102[no-fix]
netG = Generator().to(device)
with torch.no_grad():
    images = netG(torch.randn(16, 64, device=device))
torch.save(images.cpu(), "samples.pt")
