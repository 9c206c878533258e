# expect: none
"""[TIP401] train.py: the scheduler comes from lib/optim/factory.py, imported as `lib.optim.factory` although neither lib/ nor lib/optim/ has an __init__.py (namespace packages); nobody steps it."""

import torch
from flowers import EfficientNetB0, Flowers102
from lib.optim.factory import make_scheduler
from torch.utils.data import DataLoader


def main(epochs=40):
    loader = DataLoader(Flowers102("train"), batch_size=48, shuffle=True, num_workers=4)
    model = EfficientNetB0(num_classes=102).cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)
    scheduler = make_scheduler(optimizer, epochs)
    for epoch in range(epochs):
        for images, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, scheduler.get_last_lr())


if __name__ == "__main__":
    main()
