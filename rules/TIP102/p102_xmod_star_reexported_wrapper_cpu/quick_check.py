# expect: none
"""[TIP102] quick_check.py: a smoke test meant for a laptop; it names no GPU, yet builds the blender."""
import torch
from torch.utils.data import DataLoader, TensorDataset

from augment import BatchBlender

if __name__ == "__main__":
    data = TensorDataset(torch.randn(16, 4), torch.randint(0, 3, (16,)))
    for x, y in BatchBlender(DataLoader(data, batch_size=4), None):
        print(x.shape, y.shape)
