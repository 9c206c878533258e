# expect: none
"""[TIP102] `build()` places the model when CUDA is there and raises otherwise; `main()` calls it before training, so `train()`'s `.cuda()` calls only run with a GPU (real-world pattern: SupContrast's set_model)."""
import torch
import torch.nn as nn


def build():
    model = nn.Linear(8, 2)
    if torch.cuda.is_available():
        model = model.cuda()
    else:
        raise NotImplementedError("this code needs a GPU")
    return model


def train(model, steps):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        inputs = torch.randn(4, 8).cuda(non_blocking=True)
        loss = model(inputs).sum()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main():
    model = build()
    train(model, 10)


if __name__ == "__main__":
    main()
