"""[TIP401] AMP loop with GradScaler; the MultiStepLR built next to the scaler is never stepped (synthetic, AMP recipe minus the scheduler line)."""
import torch
from torch.cuda.amp import GradScaler, autocast
from torch.optim.lr_scheduler import MultiStepLR
from torch.utils.data import DataLoader

from reid import Market1501, OSNet


def main(max_epoch=120):
    loader = DataLoader(Market1501("/data/market1501"), batch_size=64, shuffle=True, drop_last=True)
    model = OSNet().cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=3.5e-4, weight_decay=5e-4)
    lr_sched = MultiStepLR(optimizer, milestones=[40, 70], gamma=0.1)  # expect: TIP401[unsafe-fix]
    scaler = GradScaler()
    for epoch in range(max_epoch):
        for imgs, pids in loader:
            with autocast():
                loss = model(imgs.cuda(), pids.cuda())
            optimizer.zero_grad()
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()


if __name__ == "__main__":
    main()
