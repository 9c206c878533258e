"""[TIP402] trainers/fit.py: steps the schedule it is given at the top of each epoch, before the batch loop that steps the optimizer (real-world pattern: a package whose function has its module's name)."""
import torch


def fit(model, optimizer, schedule, loader, epochs):
    for epoch in range(epochs):
        schedule.step()  # expect: TIP402[safe-fix]
        for inputs, targets in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(inputs), targets).backward()
            optimizer.step()
