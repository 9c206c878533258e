# expect: none
"""[TIP101, TIP103] main() builds the model unplaced and hands it to `fit(model, loader, device)`, which moves the model and each batch (real-world pattern: placement inside a helper)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from flowers import Flowers102
from nets import ConvNeXtNano


def fit(model, loader, device, epochs=10):
    model.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.05)
    for epoch in range(epochs):
        model.train()
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            loss = criterion(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    loader = DataLoader(Flowers102("train"), batch_size=64, shuffle=True, num_workers=4)
    model = ConvNeXtNano(num_classes=102)
    fit(model, loader, device)
    torch.save(model.state_dict(), "convnext_flowers.pt")


if __name__ == "__main__":
    main()
