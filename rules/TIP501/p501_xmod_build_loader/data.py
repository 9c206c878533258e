# expect: none
"""[TIP501] data.py of a two-module project: build_loader() makes the DistributedSampler and returns the DataLoader (real-world pattern: data/builder modules)."""
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, transforms


def build_loader(args):
    transform = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor()])
    dataset = datasets.ImageFolder(args.train_dir, transform=transform)
    sampler = DistributedSampler(dataset, shuffle=True)
    return DataLoader(dataset, batch_size=args.batch_size, sampler=sampler, num_workers=args.workers, drop_last=True)
