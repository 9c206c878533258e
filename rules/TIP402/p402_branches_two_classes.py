"""[TIP402] `--lr-policy` picks a MultiStepLR or a CosineAnnealingLR; either way the scheduler steps before the batch loop, which both classes get wrong (real-world pattern: configurable LR policy)."""
import argparse

import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, MultiStepLR
from torch.utils.data import DataLoader

from speech import SpeechCommands, M5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr-policy", default="multistep")
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args()
    loader = DataLoader(SpeechCommands("training"), batch_size=256, shuffle=True)
    model = M5(n_output=35)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-4)
    if args.lr_policy == "cosine":
        scheduler = CosineAnnealingLR(optimizer, T_max=args.epochs)
    else:
        scheduler = MultiStepLR(optimizer, milestones=[20, 30], gamma=0.1)
    for epoch in range(args.epochs):
        scheduler.step()  # expect: TIP402[safe-fix]
        model.train()
        for waveform, target in loader:
            loss = torch.nn.functional.nll_loss(model(waveform).squeeze(), target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
