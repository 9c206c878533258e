# expect: none
"""[TIP102] train.py: `if __name__ == "__main__":` picks one GPU id from the settings and calls the
training steps of engine.py."""
import os
from types import SimpleNamespace

import torch

from engine import fit

if __name__ == "__main__":
    cfg = SimpleNamespace(gpu_id="0", epochs=2)
    os.environ["CUDA_VISIBLE_DEVICES"] = cfg.gpu_id
    net = torch.nn.Linear(10, 3)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    batches = [(torch.randn(4, 10), torch.randint(0, 3, (4,)))]
    fit(net, optimizer, batches, cfg.epochs)
