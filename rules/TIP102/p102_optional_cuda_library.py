"""[TIP102] A CUDA-only library imported optionally (the script carries on without apex): the script is meant to run without it, so its `.cuda()` needs a check (look-alike of a script that requires apex)."""
import torch
import torch.nn as nn

try:
    from apex import amp
except ImportError:
    amp = None

net = nn.Conv2d(3, 8, 3).cuda()  # expect: TIP102[unsafe-fix]
opt = torch.optim.SGD(net.parameters(), lr=0.01)
if amp is not None:
    net, opt = amp.initialize(net, opt, opt_level="O1")
images = torch.randn(2, 3, 16, 16)
loss = net(images).mean()
loss.backward()
opt.step()
