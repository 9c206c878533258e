# expect: none
"""[TIP102] A module-level `if not torch.cuda.is_available(): sys.exit(...)` before any `.cuda()` (real-world pattern: GPU-only benchmark scripts)."""
import sys

import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from bench import SyntheticImages, resnet_block_stack

if not torch.cuda.is_available():
    sys.exit("this benchmark needs a CUDA GPU")

torch.backends.cudnn.benchmark = True
loader = DataLoader(SyntheticImages(50_000), batch_size=256, num_workers=8, pin_memory=True)
model = resnet_block_stack(depth=18).cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss().cuda()

for images, labels in loader:
    images = images.cuda(non_blocking=True)
    labels = labels.cuda(non_blocking=True)
    loss = criterion(model(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
