"""[TIP404] The per-batch policy is a OneCycleLR or a CyclicLR (both count batches), but the step sits after the batch loop, once an epoch (real-world pattern: a cyclical-LR option)."""
import torch
from torch.optim.lr_scheduler import CyclicLR, OneCycleLR
from torch.utils.data import DataLoader

from retail import Rossmann, EntityEmbeddingNet


def main(policy="onecycle", epochs=20):
    loader = DataLoader(Rossmann("train"), batch_size=1024, shuffle=True)
    model = EntityEmbeddingNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    if policy == "onecycle":
        scheduler = OneCycleLR(optimizer, max_lr=0.05, epochs=epochs, steps_per_epoch=len(loader))
    else:
        scheduler = CyclicLR(optimizer, base_lr=1e-4, max_lr=0.05, step_size_up=2 * len(loader))
    for epoch in range(epochs):
        for cats, conts, sales in loader:
            loss = torch.nn.functional.mse_loss(model(cats, conts), sales)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()  # expect: TIP404[unsafe-fix]


if __name__ == "__main__":
    main()
