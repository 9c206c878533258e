"""[TIP302] A step-based loop pulls batches with `next()` and re-makes the iterator when it runs out: each pass still walks the stored order, because the loader does not shuffle."""
import torch
import torchvision
from torch.utils.data import DataLoader

dataset = torchvision.datasets.FakeData(size=32, image_size=(3, 8, 8), transform=torchvision.transforms.ToTensor())
loader = DataLoader(dataset, batch_size=8, num_workers=0)  # expect: TIP302[unsafe-fix]
model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(192, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
batches = iter(loader)
for step in range(20):
    try:
        images, labels = next(batches)
    except StopIteration:
        batches = iter(loader)
        images, labels = next(batches)
    optimizer.zero_grad()
    torch.nn.functional.cross_entropy(model(images), labels).backward()
    optimizer.step()
