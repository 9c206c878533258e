# expect: none
"""[TIP507] `nn.DataParallel` around a model that is only evaluated (no optimizer, no backward): batch inference over several GPUs, which is what DataParallel is still fine for. Not a finding."""
import torch
from torch import nn
from torch.utils.data import DataLoader

from cifar import CIFAR10Test, ResNet18


@torch.no_grad()
def evaluate(checkpoint):
    net = ResNet18()
    net.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    model = nn.DataParallel(net.cuda()).eval()
    correct = 0
    for images, labels in DataLoader(CIFAR10Test(), batch_size=512):
        correct += (model(images.cuda()).argmax(1) == labels.cuda()).sum().item()
    return correct


if __name__ == "__main__":
    print(evaluate("resnet18.pt"))
