# expect: none
"""[TIP102] train.py: the batch callback's CUDA default is never used: the project engine it is handed to always passes a device chosen with a fallback (look-alike of a callback handed to an outside engine)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from loop import build_step


def to_device(batch, device="cuda"):
    inputs, targets = batch
    return inputs.to(device), targets.to(device)


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = nn.Linear(4, 1).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2)
    step = build_step(model, optimizer, to_device, device=device)
    loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
    for epoch in range(3):
        for batch in loader:
            print(step(batch))
        scheduler.step()


if __name__ == "__main__":
    main()
