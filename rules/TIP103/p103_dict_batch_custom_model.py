"""[TIP103] A dict-yielding dataset (`batch["image"]`, `batch["label"]`) with the model on the device and the batch left on the CPU (real-world pattern: albumentations-style dict datasets)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from leaf_data import LeafDataset
from torchvision.models import efficientnet_b0


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    loader = DataLoader(LeafDataset("train.csv"), batch_size=32, shuffle=True, num_workers=4)
    model = efficientnet_b0(num_classes=5)
    model.to(device)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(10):
        model.train()
        for batch in loader:
            logits = model(batch["image"])  # expect: TIP103[unsafe-fix]
            loss = criterion(logits, batch["label"])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
