"""[TIP102] A look-alike of a GPU evaluator: only `predict` enters `with torch.cuda.device_of(image):`; the training function beside it (which does not call it) places the model with `.cuda()` and no check, and a machine without CUDA crashes there."""
import torch
from torch import nn


def predict(model, image):
    with torch.cuda.device_of(image):
        return model(image)


def train(batches):
    model = nn.Linear(4, 2).cuda()  # expect: TIP102[unsafe-fix]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for inputs, targets in batches:
        optimizer.zero_grad()
        nn.functional.mse_loss(model(inputs), targets).backward()
        optimizer.step()
    return model
