"""[TIP507] A classifier wrapped in `nn.DataParallel(model)` and trained by an optimizer over the wrapper's parameters: one process drives every GPU, replicating the model on each forward pass."""
import torch
from torch import nn
from torch.utils.data import DataLoader

from cifar import CIFAR10Train, ResNet18


def main(epochs=30):
    loader = DataLoader(CIFAR10Train(), batch_size=256, shuffle=True, num_workers=8)
    model = nn.DataParallel(ResNet18().cuda())  # expect: TIP507[no-fix]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for epoch in range(epochs):
        for images, labels in loader:
            loss = nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
