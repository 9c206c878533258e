"""[TIP101] train.py: the model comes from models.build_model() and is trained without ever choosing a GPU; reported at the helper call here (real-world pattern: model factories)."""
import argparse

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from flowers import Flowers102
from models import build_model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", default="small")
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()

    loader = DataLoader(Flowers102("train"), batch_size=32, shuffle=True, num_workers=4)
    model = build_model(args.arch, num_classes=102)  # expect: TIP101[no-fix]
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    for epoch in range(args.epochs):
        for images, labels in loader:
            loss = F.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
