"""[TIP402] train.py: the scheduler from lr_factory.get_scheduler (one of two classes) steps at the top of each epoch, before any optimizer step (real-world pattern: scheduler factories)."""
import torch
from torch.utils.data import DataLoader

from lr_factory import get_scheduler
from options import TrainOptions
from restoration import GoPro, DeblurNet


def main():
    opt = TrainOptions().parse()
    loader = DataLoader(GoPro("train"), batch_size=opt.batch_size, shuffle=True, num_workers=opt.workers)
    net = DeblurNet().cuda()
    optimizer = torch.optim.Adam(net.parameters(), lr=opt.lr, betas=(0.9, 0.999))
    scheduler = get_scheduler(optimizer, opt)
    for epoch in range(opt.niter):
        scheduler.step()  # expect: TIP402[safe-fix]
        for blurred, sharp in loader:
            loss = torch.nn.functional.l1_loss(net(blurred.cuda()), sharp.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
