"""[TIP305] Batches copied to the GPU with `non_blocking=True` from a loader that does not pin its memory: from pageable memory the copy waits anyway, so the flag does nothing."""

import torch
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda")
loader = DataLoader(  # expect: TIP305[unsafe-fix]
    TensorDataset(torch.randn(64, 4), torch.randn(64, 1)),
    batch_size=8,
    shuffle=True,
    num_workers=4,
    persistent_workers=True,
)
model = torch.nn.Linear(4, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for inputs, targets in loader:
        inputs = inputs.to(device, non_blocking=True)
        targets = targets.to(device, non_blocking=True)
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
