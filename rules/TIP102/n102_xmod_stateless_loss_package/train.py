# expect: none
"""[TIP102] train.py: the losses are moved with `.cuda()` and `.to("cuda")` with no CUDA check, but
none of them holds a parameter or a buffer (their classes, read in modules that never mention a GPU,
keep only numbers, flags, a plain object and parameterless torch losses): Module.cuda() moves nothing
and needs no CUDA. The model is placed where CUDA is checked for (real-world pattern: segmentation
and re-identification scripts that wrap torch losses in project classes)."""
import argparse

import torch
import torch.nn as nn

from config import make_criterion
from losses import PixelCE, RankingLoss

parser = argparse.ArgumentParser()
parser.add_argument("--loss", default="pixel")
args = parser.parse_args()

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Conv2d(3, 4, 1).to(device)
pixel = PixelCE(ignore_index=args.loss.count("x")).cuda()
ranking = RankingLoss(margin=0.5).to("cuda")
criterion = make_criterion(args.loss)
criterion = criterion.cuda()

images = torch.randn(2, 3, 8, 8, device=device)
labels = torch.randint(0, 4, (2, 8, 8), device=device)
loss = pixel(model(images), labels) + criterion(model(images), labels)
print(loss.item(), ranking)
