"""[TIP304] A `transforms.Lambda(lambda ...)` inside the transform a torchvision dataset keeps: the loader's four workers receive the pickled dataset, and the lambda in it cannot be pickled under spawn."""
import torch
import torchvision
from torchvision import transforms


def build_loader(root):
    scale = transforms.Compose(
        [
            transforms.ToTensor(),
            transforms.Lambda(lambda image: image * 2 - 1),  # expect: TIP304[no-fix]
        ]
    )
    dataset = torchvision.datasets.ImageFolder(root, transform=scale)
    return torch.utils.data.DataLoader(dataset, batch_size=16, shuffle=True, num_workers=4)
