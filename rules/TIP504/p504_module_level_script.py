"""[TIP504] A module-level DDP script reaches torch.distributed through `import torch` only; the final save runs on every rank. The fix spells the guard `torch.distributed.get_rank() == 0`."""
import torch
from torch.nn.parallel import DistributedDataParallel

torch.distributed.init_process_group("gloo")
net = DistributedDataParallel(torch.nn.Linear(10, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.05)
for step in range(100):
    loss = net(torch.randn(16, 10)).square().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
torch.save(net.state_dict(), "net_final.pt")  # expect: TIP504[unsafe-fix]
torch.distributed.destroy_process_group()
