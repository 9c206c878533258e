# expect: none
"""[TIP402] A warm-up demo that takes one optimizer step on zero gradients before the loop, so that the scheduler's first step already follows an optimizer step (PyTorch does not warn, no value of the schedule is skipped); in the loop the scheduler then steps first (real-world pattern: warm-up scheduler examples)."""
import torch
from torch.optim.lr_scheduler import ExponentialLR

weights = [torch.nn.Parameter(torch.zeros(3, 3))]
opt = torch.optim.SGD(weights, lr=0.2)
decay = ExponentialLR(opt, gamma=0.9)

opt.zero_grad()
opt.step()
for epoch in range(10):
    decay.step()
    print(epoch, opt.param_groups[0]["lr"])
    opt.step()
