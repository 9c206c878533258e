"""[TIP102] A CUDA device as a parameter default that the script's own call relies on: the call passes no device, so it crashes without CUDA (real-world pattern: `predict(..., device=torch.device("cuda"))` in vocoder and diffusion inference helpers)."""
import torch
import torch.nn as nn


def synthesize(net, features, device=torch.device("cuda")):  # expect: TIP102[unsafe-fix]
    net = net.to(device)
    with torch.no_grad():
        return net(features.to(device))


print(synthesize(nn.Linear(4, 2), torch.randn(3, 4)))
