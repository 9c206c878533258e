# expect: none
"""[TIP101, TIP103] Lightning Fabric: `fabric.setup()` and `fabric.setup_dataloaders()` place the model and the batches, so the explicit loop moves nothing (real-world pattern: Fabric conversions of plain loops)."""
import torch
import torch.nn.functional as F
from lightning.fabric import Fabric
from torch.utils.data import DataLoader

from nets import ResNet9, cifar10_train


def main():
    fabric = Fabric(accelerator="auto", devices=1, precision="bf16-mixed")
    fabric.launch()
    model = ResNet9(num_classes=10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    model, optimizer = fabric.setup(model, optimizer)
    train_loader = fabric.setup_dataloaders(DataLoader(cifar10_train(), batch_size=512, shuffle=True))
    for epoch in range(24):
        for x, y in train_loader:
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad()
            fabric.backward(loss)
            optimizer.step()


if __name__ == "__main__":
    main()
