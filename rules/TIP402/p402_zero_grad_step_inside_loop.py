"""[TIP402] The look-alike: the zero-gradient optimizer step is at the top of each iteration, after the scheduler's step, not once before the loop: the scheduler still steps first, and the schedule's first value is skipped (synthetic)."""
import torch
from torch.optim.lr_scheduler import ExponentialLR

weights = [torch.nn.Parameter(torch.zeros(3, 3))]
opt = torch.optim.SGD(weights, lr=0.2)
decay = ExponentialLR(opt, gamma=0.9)

for epoch in range(10):
    decay.step()  # expect: TIP402[safe-fix]
    opt.zero_grad()
    opt.step()
    print(epoch, opt.param_groups[0]["lr"])
