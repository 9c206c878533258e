"""[TIP102] A feature extractor takes `device="cuda"` as a default and turns it into `torch.device(device)` for its model: a caller that relies on the default (as the usage below does) crashes without CUDA."""
import torch
import torch.nn as nn


class Extractor:
    def __init__(self, width, device="cuda"):  # expect: TIP102[unsafe-fix]
        device = torch.device(device)
        self.model = nn.Linear(width, width).to(device)
        self.device = device

    def __call__(self, batch):
        return self.model(batch.to(self.device))


extractor = Extractor(16)
print(extractor(torch.randn(2, 16)).shape)
