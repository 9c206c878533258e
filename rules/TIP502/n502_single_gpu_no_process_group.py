# expect: none
"""[TIP502] Look-alike of p502_module_level_script without the process group: one process on one
GPU (DataParallel aside, nothing distributed), so a bare `.cuda()` is the right device."""
import torch
import torch.nn as nn

net = nn.Conv2d(3, 8, 3).cuda()
opt = torch.optim.SGD(net.parameters(), lr=0.01)
for it in range(100):
    img = torch.rand(4, 3, 16, 16).cuda()
    out = net(img).mean()
    opt.zero_grad()
    out.backward()
    opt.step()
