"""[TIP102] train.py: look-alike of parameterless project losses moved with `.cuda()`: these hold
state (a class-weight tensor handed to the torch loss, a learned projection in a base class, a
registered buffer, one such loss among those a factory may return), so Module.cuda() moves it and
crashes on a machine without CUDA."""
import argparse

import torch

from config import make_criterion
from losses import AlignLoss, CentreLoss, PixelCE

parser = argparse.ArgumentParser()
parser.add_argument("--loss", default="pixel")
args = parser.parse_args()

class_weight = torch.tensor([0.5, 1.0, 1.0, 2.0])
pixel = PixelCE(class_weight, ignore_index=0).cuda()  # expect: TIP102[unsafe-fix]
align = AlignLoss(16).cuda()  # expect: TIP102[unsafe-fix]
centre = CentreLoss(4, 16).to("cuda")  # expect: TIP102[unsafe-fix]
criterion = make_criterion(args.loss)
criterion = criterion.cuda()  # expect: TIP102[unsafe-fix]
print(pixel, align, centre, criterion)
