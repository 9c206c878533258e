"""[TIP103] engine.py: train_one_epoch() feeds the loader's batches to a model that train.py put on the device, without moving them (real-world pattern: torchvision references-style engines, device argument forgotten)."""
import torch


def train_one_epoch(model, criterion, optimizer, data_loader, epoch, print_freq=50):
    model.train()
    for i, (image, target) in enumerate(data_loader):
        output = model(image)  # expect: TIP103[unsafe-fix]
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if i % print_freq == 0:
            print(f"Epoch: [{epoch}] [{i}/{len(data_loader)}] loss {loss.item():.4f}")
