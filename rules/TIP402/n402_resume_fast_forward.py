# expect: none
"""[TIP402, TIP401] Resuming: `for _ in range(start_epoch): scheduler.step()` fast-forwards the schedule before training; the real step is after the epoch (real-world pattern: resumable scripts without scheduler state_dict)."""
import argparse

import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader

from sr_data import DIV2K
from sr_models import EDSR


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--resume", default="")
    parser.add_argument("--epochs", type=int, default=300)
    args = parser.parse_args()
    loader = DataLoader(DIV2K("/data/div2k", scale=4), batch_size=16, shuffle=True, num_workers=8)
    model = EDSR(scale=4).cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    scheduler = CosineAnnealingLR(optimizer, T_max=args.epochs)
    start_epoch = 0
    if args.resume:
        ckpt = torch.load(args.resume, map_location="cpu")
        model.load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        start_epoch = ckpt["epoch"] + 1
        for _ in range(start_epoch):
            scheduler.step()
    for epoch in range(start_epoch, args.epochs):
        for lr_img, hr_img in loader:
            loss = torch.nn.functional.l1_loss(model(lr_img.cuda()), hr_img.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, "last.pt")


if __name__ == "__main__":
    main()
