"""[TIP505] A Trainer class initialises the group in __init__ and nothing ever destroys it. Where the run ends is not in the class, so no fix is offered."""
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


class Trainer:
    def __init__(self, model):
        dist.init_process_group("gloo")  # expect: TIP505[no-fix]
        self.model = DistributedDataParallel(model)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)

    def fit(self, steps):
        for _ in range(steps):
            loss = self.model(torch.randn(4, 3)).sum()
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
