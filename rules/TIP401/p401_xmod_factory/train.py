# expect: none
"""[TIP401] train.py: scheduler from optim_factory.build_scheduler, never stepped; reported at its construction in optim_factory.py (real-world pattern: factories)."""
import torch
from torch.utils.data import DataLoader

from optim_factory import build_scheduler
from pets import OxfordPets, ResNet34


def main(epochs=60):
    loader = DataLoader(OxfordPets("trainval"), batch_size=64, shuffle=True, num_workers=8)
    model = ResNet34(num_classes=37).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    scheduler = build_scheduler(optimizer, epochs)
    for epoch in range(epochs):
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
