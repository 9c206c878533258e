# expect: none
"""[TIP103] engine.py: train_one_epoch() takes the device and moves every batch (real-world pattern: torchvision references/classification/train.py)."""
import torch


def train_one_epoch(model, criterion, optimizer, data_loader, device, epoch, scaler=None):
    model.train()
    for i, (image, target) in enumerate(data_loader):
        image, target = image.to(device), target.to(device)
        with torch.autocast(device_type=device.type, enabled=scaler is not None):
            output = model(image)
            loss = criterion(output, target)
        optimizer.zero_grad()
        if scaler is not None:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        else:
            loss.backward()
            optimizer.step()
