"""[TIP401] An ExponentialLR or a StepLR, chosen by a flag, and neither is ever stepped (real-world pattern: a scheduler option added, its step forgotten)."""
import argparse

import torch
from torch.optim.lr_scheduler import ExponentialLR, StepLR
from torch.utils.data import DataLoader

from tabular import Adult, MLP


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--decay", choices=["exp", "step"], default="exp")
    args = parser.parse_args()
    loader = DataLoader(Adult("train"), batch_size=512, shuffle=True)
    model = MLP(108, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    if args.decay == "exp":
        scheduler = ExponentialLR(optimizer, gamma=0.97)  # expect: TIP401[unsafe-fix]
    else:
        scheduler = StepLR(optimizer, step_size=10, gamma=0.3)
    for epoch in range(50):
        for features, label in loader:
            loss = torch.nn.functional.cross_entropy(model(features), label)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
