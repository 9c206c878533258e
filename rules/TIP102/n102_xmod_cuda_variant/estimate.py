# expect: none
"""[TIP102] estimate.py: the CPU version of the pose estimation script."""
import torch


def main():
    device = torch.device("cpu")
    poses = torch.randn(4, 17, 3, device=device)
    print(poses.norm(dim=-1).mean().item())


if __name__ == "__main__":
    main()
