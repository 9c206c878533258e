"""[TIP102] `torch.device("cuda:0")` built inline and passed to `.to(...)`, for the model and the batch (real-world pattern: segmentation training scripts); anchored on the `.to` call."""
import torch
from torch.utils.data import DataLoader

from seg import CityscapesCrops, DeepLabLite


def main():
    loader = DataLoader(CityscapesCrops("train"), batch_size=8, shuffle=True, num_workers=4, pin_memory=True)
    model = DeepLabLite(num_classes=19)
    model = model.to(torch.device("cuda:0"))  # expect: TIP102[no-fix]
    criterion = torch.nn.CrossEntropyLoss(ignore_index=255)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    for epoch in range(100):
        for image, mask in loader:
            image = image.to(torch.device("cuda:0"), non_blocking=True)  # expect: TIP102[no-fix]
            mask = mask.to(torch.device("cuda:0"), non_blocking=True)  # expect: TIP102[no-fix]
            loss = criterion(model(image), mask)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
