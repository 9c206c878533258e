# expect: none
"""[TIP405] MultiStepLR with literal milestones (`[60000, 80000]`), stepped every batch: a literal has no unit here, and these numbers read as iterations. Silent."""
import torch
from torch.utils.data import DataLoader

from detect import VOCDetection, build_detector, load_config


def main():
    cfg = load_config("configs/voc.yaml")
    loader = DataLoader(VOCDetection("trainval"), batch_size=cfg.batch_size, shuffle=True)
    model = build_detector(cfg)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[60000, 80000], gamma=0.1)
    for epoch in range(cfg.epochs):
        model.train()
        for images, targets in loader:
            losses = model(images, targets)
            loss = sum(losses.values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()


if __name__ == "__main__":
    main()
