# expect: none
"""[TIP505] As p505_module_level_import, but the script hands destroy_process_group to atexit right after initialising: the group is destroyed on the way out."""
import atexit

import torch
from torch.distributed import destroy_process_group, init_process_group
from torch.nn.parallel import DistributedDataParallel

init_process_group("gloo")
atexit.register(destroy_process_group)
net = DistributedDataParallel(torch.nn.Linear(10, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.05)
for step in range(100):
    loss = net(torch.randn(16, 10)).square().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
