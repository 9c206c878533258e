# expect: none
"""[TIP402, TIP403] `--lr-policy` picks a ReduceLROnPlateau or a CosineAnnealingLR, stepped with the validation loss at the top of the next epoch; a plateau scheduler watches a metric, so the order rule does not hold for every class the variable can have (real-world pattern: configurable LR policy)."""
import argparse

import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, ReduceLROnPlateau
from torch.utils.data import DataLoader

from speech import SpeechCommands, M5, evaluate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr-policy", default="plateau")
    parser.add_argument("--epochs", type=int, default=40)
    args = parser.parse_args()
    loader = DataLoader(SpeechCommands("training"), batch_size=256, shuffle=True)
    model = M5(n_output=35)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-4)
    if args.lr_policy == "cosine":
        scheduler = CosineAnnealingLR(optimizer, T_max=args.epochs)
    else:
        scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5)
    val_loss = float("inf")
    for epoch in range(args.epochs):
        if epoch > 0 and args.lr_policy == "plateau":
            scheduler.step(val_loss)
        model.train()
        for waveform, target in loader:
            loss = torch.nn.functional.nll_loss(model(waveform).squeeze(), target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if args.lr_policy == "cosine":
            scheduler.step()
        val_loss = evaluate(model)


if __name__ == "__main__":
    main()
