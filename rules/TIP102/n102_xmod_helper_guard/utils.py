# expect: none
"""[TIP102, TIP103] utils.py: get_device() returns `torch.device("cuda")` only when CUDA is available; to_device() moves a batch (real-world pattern: utils modules)."""
import torch


def get_device():
    if torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")


def to_device(batch, device):
    return [t.to(device, non_blocking=True) for t in batch]
