# expect: none
"""[TIP102] The `if __name__ == "__main__":` block of a model file chooses two GPUs (`CUDA_VISIBLE_DEVICES`) and runs a GPU smoke test of the model: that run is GPU-only by design; the choice governs its own block (look-alike of the same line at the top of a script, which governs nothing)."""
import os

import torch
import torch.nn as nn


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc(x)


if __name__ == "__main__":
    os.environ["CUDA_VISIBLE_DEVICES"] = "0,1"
    sample = torch.rand(2, 16).cuda()
    head = Head().cuda()
    print(head(sample).shape)
