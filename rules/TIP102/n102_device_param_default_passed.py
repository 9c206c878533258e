# expect: none
"""[TIP102] A CUDA device as a parameter default that every call overrides with a device chosen with a fallback: the default is never used (look-alike of a default the callers rely on)."""
import torch
import torch.nn as nn


class Runner:
    def run(self, net, features, device=torch.device("cuda")):
        with torch.no_grad():
            return net.to(device)(features.to(device))


def synthesize(net, features, device=torch.device("cuda")):
    with torch.no_grad():
        return net.to(device)(features.to(device))


chosen = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(synthesize(nn.Linear(4, 2), torch.randn(3, 4), device=chosen))
print(synthesize(nn.Linear(4, 2), torch.randn(3, 4), chosen))
print(Runner().run(nn.Linear(4, 2), torch.randn(3, 4), chosen))
