"""[TIP303] A trainer keeps a DDP model and its training loader in attributes; the loader has no DistributedSampler, so the ranks share nothing out."""
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset


class Points(Dataset):
    def __len__(self):
        return 50

    def __getitem__(self, index):
        return torch.randn(3), torch.randn(1)


class Trainer:
    def __init__(self):
        dist.init_process_group("gloo")
        self.model = DistributedDataParallel(torch.nn.Linear(3, 1))
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.01)
        self.loader = DataLoader(Points(), batch_size=5, shuffle=True)  # expect: TIP303[no-fix]

    def run(self, epochs):
        for epoch in range(epochs):
            for inputs, targets in self.loader:
                self.optimizer.zero_grad()
                torch.nn.functional.mse_loss(self.model(inputs), targets).backward()
                self.optimizer.step()


Trainer().run(2)
