# expect: none
"""[TIP102] A script that cannot even be imported without a CUDA-only library (NVIDIA apex, required: its `except ImportError` re-raises): everything in it is GPU-only by design (real-world pattern: apex mixed-precision segmentation trainers)."""
import torch
import torch.nn as nn

try:
    from apex import amp
except ImportError:
    raise ImportError("this trainer needs NVIDIA apex")

net = nn.Conv2d(3, 8, 3).cuda()
opt = torch.optim.SGD(net.parameters(), lr=0.01)
net, opt = amp.initialize(net, opt, opt_level="O1")
for _ in range(2):
    images = torch.randn(2, 3, 16, 16).cuda(non_blocking=True)
    loss = net(images).mean()
    with amp.scale_loss(loss, opt) as scaled:
        scaled.backward()
    opt.step()
