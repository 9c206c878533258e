# expect: none
"""[TIP401] train.py: a look-alike of p401_xmod_namespace_lib: the namespace-package helper lib/optim/loop.py runs the epoch and steps the scheduler after the optimizer; nothing to report."""

import torch
from flowers import EfficientNetB0, Flowers102
from lib.optim.loop import run_epoch
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader


def main(epochs=40):
    loader = DataLoader(Flowers102("train"), batch_size=48, shuffle=True, num_workers=4)
    model = EfficientNetB0(num_classes=102).cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)
    scheduler = ExponentialLR(optimizer, gamma=0.9)
    for epoch in range(epochs):
        run_epoch(model, loader, optimizer, scheduler)


if __name__ == "__main__":
    main()
