"""[TIP402] Ignite: the update function steps the optimizer, and an `Events.ITERATION_STARTED` handler steps a torch LambdaLR warm-up: it fires before every update (synthetic, hand-written ignite trainer)."""
import torch
import torch.nn.functional as F
from ignite.engine import Engine, Events
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader

from fashion import FashionItems, MiniResNet


def run(epochs=20):
    loader = DataLoader(FashionItems("train"), batch_size=128, shuffle=True)
    model = MiniResNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = LambdaLR(optimizer, lambda it: min(1.0, (it + 1) / 1000))

    def update(engine, batch):
        model.train()
        images, labels = batch
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    trainer = Engine(update)

    @trainer.on(Events.ITERATION_STARTED)
    def warm_up(engine):
        scheduler.step()  # expect: TIP402[no-fix]

    trainer.run(loader, max_epochs=epochs)


if __name__ == "__main__":
    run()
