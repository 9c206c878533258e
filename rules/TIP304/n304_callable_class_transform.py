# expect: none
"""[TIP304] A transform class defined at module level whose instance keeps only numbers: it pickles by reference to its class, so a dataset holding it is fine under spawn."""
import torch
import torchvision
from torch.utils.data import DataLoader


class AddNoise:
    def __init__(self, scale):
        self.scale = scale

    def __call__(self, image):
        return image + self.scale * torch.randn_like(image)


dataset = torchvision.datasets.FakeData(size=16, transform=AddNoise(0.1))
loader = DataLoader(dataset, batch_size=4, shuffle=True, num_workers=2)
