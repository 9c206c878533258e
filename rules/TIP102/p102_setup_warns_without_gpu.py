"""[TIP102] `build()` only prints a warning when CUDA is missing and goes on, so `train()`'s `.cuda()` still runs without a GPU (look-alike of a setup function that raises)."""
import torch
import torch.nn as nn


def build():
    model = nn.Linear(8, 2)
    if torch.cuda.is_available():
        model = model.cuda()
    else:
        print("no GPU found, this will be slow")
    return model


def train(model, steps):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        inputs = torch.randn(4, 8).cuda(non_blocking=True)  # expect: TIP102[unsafe-fix]
        loss = model(inputs).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main():
    model = build()
    train(model, 10)


if __name__ == "__main__":
    main()
