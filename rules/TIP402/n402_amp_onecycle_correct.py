# expect: none
"""[TIP402, TIP401, TIP404] The AMP recipe in order: scaler.scale(loss).backward(), scaler.step(optimizer), scaler.update(), then the per-batch OneCycleLR (real-world pattern: torch AMP examples + OneCycle)."""
import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader

from flowers import Flowers102, EfficientNetB0


def main(epochs=30):
    train_loader = DataLoader(Flowers102("train"), batch_size=64, shuffle=True, num_workers=8)
    model = EfficientNetB0(num_classes=102).cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    scheduler = OneCycleLR(optimizer, max_lr=1e-3, epochs=epochs, steps_per_epoch=len(train_loader))
    scaler = torch.cuda.amp.GradScaler()
    for epoch in range(epochs):
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            with torch.autocast(device_type="cuda", dtype=torch.float16):
                loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()


if __name__ == "__main__":
    main()
