# expect: none
"""[TIP402] A CosineAnnealingLR or a StepLR depending on a flag, stepped after the batch loop: the right order for either class (synthetic look-alike)."""
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
        for audio, label in loader:
            loss = F.cross_entropy(model(audio), label)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()


if __name__ == "__main__":
    main()
