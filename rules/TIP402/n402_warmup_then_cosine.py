# expect: none
"""[TIP402, TIP401] Two schedulers by hand: a LinearLR warmup stepped per batch after optimizer.step() during warmup epochs, then a CosineAnnealingLR stepped at the end of later epochs (real-world pattern: YOLO/DETR-style warmup)."""
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR
from torch.utils.data import DataLoader

from crowd import ShanghaiTech, CSRNet


def main(epochs=200, warmup_epochs=3):
    loader = DataLoader(ShanghaiTech("A", "train"), batch_size=8, shuffle=True)
    model = CSRNet().cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    warmup = LinearLR(optimizer, start_factor=0.01, total_iters=warmup_epochs * len(loader))
    cosine = CosineAnnealingLR(optimizer, T_max=epochs - warmup_epochs)
    for epoch in range(epochs):
        for images, density in loader:
            loss = torch.nn.functional.mse_loss(model(images.cuda()), density.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if epoch < warmup_epochs:
                warmup.step()
        if epoch >= warmup_epochs:
            cosine.step()


if __name__ == "__main__":
    main()
