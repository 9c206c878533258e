# expect: none
"""[TIP102] estimate_cuda.py: the same script written for the GPU, beside its CPU version estimate.py: the author split the two, so this one is GPU-only by design (look-alike of a `_cuda.py` script with no CPU version beside it)."""
import torch


def main():
    device = torch.device("cuda:0")
    poses = torch.randn(4, 17, 3, device=device)
    print(poses.norm(dim=-1).mean().item())


if __name__ == "__main__":
    main()
