# expect: none
"""[TIP402, TIP401] train.py: the scheduler from lr_factory.get_scheduler (one of two classes) is stepped after each epoch's optimizer steps, through a small helper that also logs the learning rate (real-world pattern: scheduler factories)."""
import torch
from torch.utils.data import DataLoader

from lr_factory import get_scheduler
from options import TrainOptions
from restoration import GoPro, DeblurNet


def update_learning_rate(scheduler, optimizer):
    scheduler.step()
    print("learning rate = %.7f" % optimizer.param_groups[0]["lr"])


def main():
    opt = TrainOptions().parse()
    loader = DataLoader(GoPro("train"), batch_size=opt.batch_size, shuffle=True, num_workers=opt.workers)
    net = DeblurNet().cuda()
    optimizer = torch.optim.Adam(net.parameters(), lr=opt.lr, betas=(0.9, 0.999))
    scheduler = get_scheduler(optimizer, opt)
    for epoch in range(opt.niter):
        for blurred, sharp in loader:
            loss = torch.nn.functional.l1_loss(net(blurred.cuda()), sharp.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        update_learning_rate(scheduler, optimizer)


if __name__ == "__main__":
    main()
