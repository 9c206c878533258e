"""[TIP102] The script keeps its device as a string, `device = "cuda"`, and moves the network and every batch with `.to(device)`: the string is CUDA and nothing else, so a CPU-only run crashes at the first move (real-world pattern: sampling and re-id scripts). Reported once, on the string."""
import torch
import torch.nn as nn


def sample(steps):
    device = "cuda"  # expect: TIP102[unsafe-fix]
    generator = nn.Linear(8, 8).to(device)
    for _ in range(steps):
        noise = torch.randn(4, 8, device=device)
        print(generator(noise).sum().item())


if __name__ == "__main__":
    sample(3)
