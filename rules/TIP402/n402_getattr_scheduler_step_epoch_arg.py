# expect: none
"""[TIP402] A scheduler whose class a config names, stepped as `scheduler.step(epoch)` at the top of each epoch: with a class chosen at run time that argument may be a plateau scheduler's metric, so the order rule says nothing (real-world pattern: config-driven trainers)."""
import torch
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader

from pointcloud import ModelNet40, PointNet


def train(cfg):
    loader = DataLoader(ModelNet40("train", npoints=1024), batch_size=32, shuffle=True, drop_last=True)
    model = PointNet(k=40).cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999))
    scheduler = getattr(lr_scheduler, cfg.scheduler_name)(optimizer, **cfg.scheduler_kwargs)
    for epoch in range(cfg.epochs):
        scheduler.step(epoch)
        model.train()
        for points, target in loader:
            pred, trans = model(points.transpose(2, 1).cuda())
            loss = torch.nn.functional.nll_loss(pred, target.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    from pointcloud import load_config

    train(load_config())
