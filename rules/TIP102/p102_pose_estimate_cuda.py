"""[TIP102] A script named `*_cuda.py` with no CPU version beside it: the name alone does not make it GPU-only, so its hard-coded device is reported (look-alike of the CUDA variant of a CPU script)."""
import torch


def main():
    device = torch.device("cuda:0")  # expect: TIP102[no-fix]
    poses = torch.randn(4, 17, 3, device=device)
    print(poses.norm(dim=-1).mean().item())


if __name__ == "__main__":
    main()
