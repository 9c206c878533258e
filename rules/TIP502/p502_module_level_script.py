"""[TIP502] A flat script with no functions: the process group, the model and the loop at module
level, every placement a bare `.cuda()`. The fix reads torchrun's LOCAL_RANK and imports `os`."""
import torch
import torch.distributed as dist
import torch.nn as nn

dist.init_process_group(backend="nccl")  # expect: TIP502[unsafe-fix]
net = nn.parallel.DistributedDataParallel(nn.Conv2d(3, 8, 3).cuda())
opt = torch.optim.SGD(net.parameters(), lr=0.01)
for it in range(100):
    img = torch.rand(4, 3, 16, 16).cuda()
    out = net(img).mean()
    opt.zero_grad()
    out.backward()
    opt.step()
dist.destroy_process_group()
