"""[TIP402] The optimizer step before the epoch loop runs only on one branch (`if warm_start:`): on the other,
the scheduler's first `step(epoch)` comes before any optimizer step."""
import torch
from torch.optim.lr_scheduler import ExponentialLR


def demo(warm_start=False):
    weights = [torch.nn.Parameter(torch.zeros(3, 3))]
    sgd = torch.optim.SGD(weights, lr=0.5)
    decay = ExponentialLR(sgd, gamma=0.9)
    if warm_start:
        sgd.step()
    for epoch in range(1, 10):
        decay.step(epoch)  # expect: TIP402[no-fix]
        print(epoch, sgd.param_groups[0]["lr"])
        sgd.step()


if __name__ == "__main__":
    demo()
