# expect: none
"""[TIP401] train_detector.py: builds the shared LinearWarmup and steps it after every optimizer step (real-world pattern: several train_*.py)."""
import torch
from torch.utils.data import DataLoader

from warmup import LinearWarmup
from wildlife import CameraTraps, build_detector


def main(epochs=12):
    loader = DataLoader(CameraTraps("train"), batch_size=16, shuffle=True)
    model = build_detector().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    scheduler = LinearWarmup(optimizer, warmup_steps=500)
    for epoch in range(epochs):
        for images, targets in loader:
            loss = model(images.cuda(), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()


if __name__ == "__main__":
    main()
