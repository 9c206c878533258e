# expect: none
"""[TIP402] trainers/fit.py: steps the schedule it is given at the end of each epoch, after the batch loop that steps the optimizer (the order PyTorch asks for)."""
import torch


def fit(model, optimizer, schedule, loader, epochs):
    for epoch in range(epochs):
        for inputs, targets in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
        schedule.step()
