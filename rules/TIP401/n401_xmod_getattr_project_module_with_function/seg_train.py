# expect: none
"""[TIP401] `getattr(lr_policies, name)` may pick a function of the module that builds no scheduler: what it
constructs is not known, so nothing is reported (look-alike of a module of schedules
only)."""
import torch
from torch.utils.data import DataLoader

import lr_policies
from seg_data import Cityscapes
from seg_nets import PSPNet


def train(cfg):
    loader = DataLoader(Cityscapes("train"), batch_size=8, shuffle=True)
    net = PSPNet(num_classes=19)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    policy = getattr(lr_policies, cfg["lr_policy"])(optimizer, cfg["epochs"] * len(loader))
    for epoch in range(cfg["epochs"]):
        for images, labels in loader:
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(net(images), labels, ignore_index=255).backward()
            optimizer.step()
