"""[TIP405] MultiStepLR whose milestones are fractions of the epoch count (`int(0.5 * cfg.epochs)`), stepped every batch: both decays happen in the first epoch or two. The unsafe fix moves the step after the batch loop."""
import torch
from torch.utils.data import DataLoader

from detect import VOCDetection, build_detector, load_config


def main():
    cfg = load_config("configs/voc.yaml")
    loader = DataLoader(VOCDetection("trainval"), batch_size=cfg.batch_size, shuffle=True)
    model = build_detector(cfg)
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(
        optimizer, milestones=[int(0.5 * cfg.epochs), int(0.75 * cfg.epochs)], gamma=0.1
    )
    for epoch in range(cfg.epochs):
        model.train()
        for images, targets in loader:
            losses = model(images, targets)
            loss = sum(losses.values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()  # expect: TIP405[unsafe-fix]


if __name__ == "__main__":
    main()
