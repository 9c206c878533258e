# expect: none
"""[TIP305] The number of workers comes from a config the code does not show: it is not known to be 0, so nothing is said."""

import torch
import yaml
from torch.utils.data import DataLoader, TensorDataset

config = yaml.safe_load(open("train.yaml"))
loader = DataLoader(
    TensorDataset(torch.randn(32, 2), torch.randn(32, 1)), batch_size=4, shuffle=True, num_workers=config["workers"]
)
model = torch.nn.Linear(2, 1).cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for inputs, targets in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(inputs.cuda()), targets.cuda()).backward()
        optimizer.step()
