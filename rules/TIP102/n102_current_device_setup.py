# expect: none
"""[TIP102] A trainer that puts its model on `torch.cuda.current_device()`, which raises on a machine without CUDA: `setup_model()` is GPU-only by design, and so is `train_model()`, which calls it as a statement of its own before moving each batch with `.cuda()` (real-world pattern: image-classification research codebases whose launcher runs one process per GPU)."""
import torch
import torch.nn as nn


def setup_model(width):
    model = nn.Sequential(nn.Linear(32, width), nn.ReLU(), nn.Linear(width, 10))
    device = torch.cuda.current_device()
    return model.cuda(device=device)


def train_epoch(model, loader, optimizer):
    model.train()
    for inputs, labels in loader:
        inputs, labels = inputs.cuda(), labels.cuda(non_blocking=True)
        loss = nn.functional.cross_entropy(model(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def train_model(loader, epochs=3):
    model = setup_model(64)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(epochs):
        train_epoch(model, loader, optimizer)
    return model
