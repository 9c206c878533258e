"""[TIP402] The scheduler is a CosineAnnealingLR or a StepLR depending on a flag, and steps at the top of the epoch loop: one finding that names both classes, and the move is right for either (synthetic, the `if args.cosine:` pattern)."""
import argparse

import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import CosineAnnealingLR, StepLR
from torch.utils.data import DataLoader

from speech import Commands, KwsNet


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cosine", action="store_true")
    parser.add_argument("--epochs", type=int, default=60)
    args = parser.parse_args()
    loader = DataLoader(Commands("train"), batch_size=100, shuffle=True)
    model = KwsNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    if args.cosine:
        scheduler = CosineAnnealingLR(optimizer, T_max=args.epochs)
    else:
        scheduler = StepLR(optimizer, step_size=20, gamma=0.1)
    for epoch in range(args.epochs):
        scheduler.step()  # expect: TIP402[safe-fix]
        for audio, label in loader:
            loss = F.cross_entropy(model(audio), label)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
