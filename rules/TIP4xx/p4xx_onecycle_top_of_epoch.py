"""[TIP402, TIP404] A OneCycleLR stepped first thing in each epoch: before any optimizer step, and once per epoch instead of per batch (synthetic, StepLR habits applied to OneCycle)."""
import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader

from wheat import GlobalWheat, FasterRCNNMobile, collate


def main(epochs=40):
    loader = DataLoader(GlobalWheat("train"), batch_size=8, shuffle=True, collate_fn=collate)
    model = FasterRCNNMobile().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    scheduler = OneCycleLR(optimizer, max_lr=0.02, epochs=epochs, steps_per_epoch=len(loader))
    for epoch in range(epochs):
        scheduler.step()  # expect: TIP402[safe-fix], TIP404[unsafe-fix]
        model.train()
        for images, targets in loader:
            losses = sum(model(images, targets).values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
