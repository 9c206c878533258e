# expect: none
"""[TIP304] A dataset that builds its lambda transform inside `__getitem__`, per item: it is never kept on the dataset, so nothing unpicklable travels to the workers."""
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Jitter(Dataset):
    def __init__(self, count, strength):
        self.count = count
        self.strength = strength

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        noise = transforms.Lambda(lambda x: x + self.strength * torch.randn_like(x))
        return noise(torch.zeros(3))


loader = DataLoader(Jitter(32, 0.1), batch_size=8, shuffle=True, num_workers=4)
