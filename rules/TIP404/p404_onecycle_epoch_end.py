"""[TIP404] OneCycleLR sized with steps_per_epoch=len(loader) but stepped once per epoch, after the batch loop (real-world pattern: OneCycle placed like StepLR)."""
import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader

from cifar import get_cifar10, ResNet18


def main(epochs=30):
    train_loader = DataLoader(get_cifar10("train"), batch_size=512, shuffle=True, num_workers=8)
    model = ResNet18().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    scheduler = OneCycleLR(optimizer, max_lr=0.1, epochs=epochs, steps_per_epoch=len(train_loader))
    for epoch in range(epochs):
        model.train()
        for images, labels in train_loader:
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()  # expect: TIP404[unsafe-fix]


if __name__ == "__main__":
    main()
