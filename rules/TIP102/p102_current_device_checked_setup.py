"""[TIP102] A look-alike of a GPU-only trainer: `setup_model()` asks for `torch.cuda.current_device()` only when CUDA is there and keeps the model on the CPU otherwise, so it is no GPU-only function, and `train_model()` goes on to a loop that moves each batch with `.cuda()`, which crashes on a machine without CUDA."""
import torch
import torch.nn as nn


def setup_model(width):
    model = nn.Sequential(nn.Linear(32, width), nn.ReLU(), nn.Linear(width, 10))
    if torch.cuda.is_available():
        model = model.cuda(device=torch.cuda.current_device())
    return model


def train_epoch(model, loader, optimizer):
    model.train()
    for inputs, labels in loader:
        inputs, labels = inputs.cuda(), labels.cuda(non_blocking=True)  # expect: TIP102[unsafe-fix], TIP102[unsafe-fix]
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
