# expect: none
"""[TIP401, TIP402] A project class that happens to be named LambdaLR (not torch's), held in `lr_scheduler` and never stepped: not a torch scheduler, nothing to report (synthetic)."""
import torch
from torch.utils.data import DataLoader

from toy import SpiralDataset


class LambdaLR:
    """Keeps a per-epoch LR curve for plotting; the optimizer's LR is set by hand."""

    def __init__(self, fn):
        self.fn = fn
        self.history = []

    def step(self, epoch):
        self.history.append(self.fn(epoch))
        return self.history[-1]


def main(epochs=50):
    model = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.Tanh(), torch.nn.Linear(64, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    lr_scheduler = LambdaLR(lambda e: 0.5 * 0.95 ** e)
    loader = DataLoader(SpiralDataset(3000), batch_size=100, shuffle=True)
    for epoch in range(epochs):
        for group in optimizer.param_groups:
            group["lr"] = 0.5 * 0.95 ** epoch
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    print(lr_scheduler.history)


if __name__ == "__main__":
    main()
