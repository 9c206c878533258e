# expect: none
"""[TIP504] As p504_module_level_script, with the launcher-era guards: `args.local_rank in [-1, 0]` and `args.rank % ngpus_per_node == 0` pick one writer."""
import os
import argparse

import torch
from torch.nn.parallel import DistributedDataParallel

parser = argparse.ArgumentParser()
parser.add_argument("--local_rank", type=int, default=int(os.environ.get("LOCAL_RANK", -1)))
parser.add_argument("--rank", type=int, default=0)
args = parser.parse_args()
ngpus_per_node = torch.cuda.device_count()

torch.distributed.init_process_group("gloo")
net = DistributedDataParallel(torch.nn.Linear(10, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.05)
for step in range(100):
    loss = net(torch.randn(16, 10)).square().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 0 and args.local_rank in [-1, 0]:
        torch.save(net.state_dict(), "net_partial.pt")
if args.rank % ngpus_per_node == 0:
    torch.save({"net": net.state_dict(), "opt": opt.state_dict()}, "net_final.pt")
torch.distributed.destroy_process_group()
