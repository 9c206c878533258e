# expect: none
"""[TIP402] Ignite: the same trainer with the StepLR stepped in an `Events.EPOCH_COMPLETED` handler, after the epoch's updates (synthetic look-alike)."""
import torch
import torch.nn.functional as F
from ignite.engine import Engine, Events
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from fashion import FashionItems, MiniResNet


def run(epochs=20):
    loader = DataLoader(FashionItems("train"), batch_size=128, shuffle=True)
    model = MiniResNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = StepLR(optimizer, step_size=8, gamma=0.1)

    def update(engine, batch):
        model.train()
        images, labels = batch
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    trainer = Engine(update)

    @trainer.on(Events.EPOCH_COMPLETED)
    def adjust_lr(engine):
        scheduler.step()

    trainer.run(loader, max_epochs=epochs)


if __name__ == "__main__":
    run()
