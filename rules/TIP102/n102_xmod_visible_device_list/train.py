# expect: none
"""[TIP102] train.py: `if __name__ == "__main__":` makes the listed GPUs visible and trains a
DataParallel model over them with the steps of engine.py."""
import os
from types import SimpleNamespace

import torch

from engine import fit

if __name__ == "__main__":
    cfg = SimpleNamespace(gpus=[0, 1], epochs=2)
    os.environ["CUDA_VISIBLE_DEVICES"] = ",".join(str(g) for g in cfg.gpus)
    net = torch.nn.DataParallel(torch.nn.Linear(10, 3))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    batches = [(torch.randn(4, 10), torch.randint(0, 3, (4,)))]
    fit(net, optimizer, batches, cfg.epochs)
