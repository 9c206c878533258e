"""[TIP402] `scheduler.step()` at the top of the epoch loop; a `break` and a `continue` inside the batch loop act on the batch loop only, so every epoch still reaches the end of the batch loop: the fix stays safe (real-world pattern: `--max-batches` debugging limits)."""
import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from voc_data import VOCSegmentation
from seg_models import FCN8s


def main(epochs=50, max_batches=None):
    loader = DataLoader(VOCSegmentation("train"), batch_size=8, shuffle=True)
    model = FCN8s(num_classes=21)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    scheduler = StepLR(optimizer, step_size=20, gamma=0.1)
    for epoch in range(epochs):
        scheduler.step()  # expect: TIP402[safe-fix]
        model.train()
        for batch_idx, (images, masks) in enumerate(loader):
            if max_batches is not None and batch_idx >= max_batches:
                break
            if masks.max() == 0:
                continue
            loss = torch.nn.functional.cross_entropy(model(images), masks, ignore_index=255)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
