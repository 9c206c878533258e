# expect: none
import torch


def build_optimizer(model, name):
    if name == "SGD":
        return getattr(torch.optim, name)(model.parameters(), lr=0.01, momentum=0.9)
    return getattr(torch.optim, name)(model.parameters(), lr=0.01)
