# expect: none
"""[TIP402] Look-alike: one optimizer step with zero gradients runs before the epoch loop, on purpose, so that
the scheduler's first `step(epoch)` already follows an optimizer step (real-world pattern: demo scripts of
warm-up schedulers that avoid PyTorch's order warning)."""
import torch
from torch.optim.lr_scheduler import ExponentialLR

if __name__ == "__main__":
    weights = [torch.nn.Parameter(torch.zeros(3, 3))]
    sgd = torch.optim.SGD(weights, lr=0.5)
    decay = ExponentialLR(sgd, gamma=0.9)

    sgd.zero_grad()
    sgd.step()

    for epoch in range(1, 10):
        decay.step(epoch)
        print(epoch, sgd.param_groups[0]["lr"])
        sgd.step()
