"""[TIP501] Flat module-level notebook-style script (no functions), sampler via `torch.utils.data.distributed.DistributedSampler` (real-world pattern: notebooks exported to scripts)."""
import os

import torch
import torch.distributed as dist
import torchvision
from torch import nn

dist.init_process_group("nccl")
local_rank = int(os.environ["LOCAL_RANK"])
torch.cuda.set_device(local_rank)

transform = torchvision.transforms.ToTensor()
train_data = torchvision.datasets.MNIST("./data", train=True, download=False, transform=transform)
sampler = torch.utils.data.distributed.DistributedSampler(train_data)  # expect: TIP501[safe-fix]
train_loader = torch.utils.data.DataLoader(train_data, batch_size=128, sampler=sampler)

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)).cuda()
model = nn.parallel.DistributedDataParallel(model, device_ids=[local_rank])
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(20):
    for batch, (X, y) in enumerate(train_loader):
        pred = model(X.cuda())
        loss = loss_fn(pred, y.cuda())
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
dist.destroy_process_group()
