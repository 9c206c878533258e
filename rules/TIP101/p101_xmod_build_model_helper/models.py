# expect: none
"""[TIP101] models.py: build_model() picks an architecture by name and returns it unplaced; the caller in train.py must place it (real-world pattern: model factories)."""
import torch.nn as nn
from torchvision.models import mobilenet_v3_small, resnet18


class SmallCNN(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(32, num_classes)

    def forward(self, x):
        return self.head(self.body(x))


def build_model(name, num_classes):
    if name == "resnet18":
        return resnet18(num_classes=num_classes)
    if name == "mobilenet":
        return mobilenet_v3_small(num_classes=num_classes)
    return SmallCNN(num_classes)
