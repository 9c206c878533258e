"""[TIP505] A flat script imports init_process_group by name and runs at module level. The fix imports destroy_process_group beside it and calls it at the end of the file."""
import torch
from torch.distributed import init_process_group
from torch.nn.parallel import DistributedDataParallel

init_process_group("gloo")  # expect: TIP505[unsafe-fix]
net = DistributedDataParallel(torch.nn.Linear(10, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.05)
for step in range(100):
    loss = net(torch.randn(16, 10)).square().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
