# expect: none
"""[TIP301] A look-alike of the IterableDataset case: this project dataset is map-style (`__getitem__`/`__len__`), so `shuffle=True` is what it should have."""
import torch
from torch.utils.data import DataLoader, Dataset


class Squares(Dataset):
    def __len__(self):
        return 16

    def __getitem__(self, index):
        return torch.tensor([float(index)]), torch.tensor([float(index * index)])


loader = DataLoader(Squares(), batch_size=4, shuffle=True)
