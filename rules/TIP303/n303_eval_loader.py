# expect: none
"""[TIP303] Under DDP the training loader has its DistributedSampler; the validation loader beside it walks the whole set on every rank, which is common and only evaluates."""
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

dist.init_process_group("gloo")
train_set = TensorDataset(torch.randn(64, 4), torch.randn(64, 1))
val_set = TensorDataset(torch.randn(16, 4), torch.randn(16, 1))
train_loader = DataLoader(train_set, batch_size=8, sampler=DistributedSampler(train_set))
val_loader = DataLoader(val_set, batch_size=8)
model = DistributedDataParallel(torch.nn.Linear(4, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    train_loader.sampler.set_epoch(epoch)
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    with torch.no_grad():
        error = sum(torch.nn.functional.mse_loss(model(x), y) for x, y in val_loader)
