# expect: none
"""[TIP402] train.py: the scheduler steps in an `EPOCH_STARTED` handler of the evaluator, which the trainer runs when each of its epochs completes: after that epoch's optimizer steps (synthetic look-alike: a started event, on the engine without an optimizer)."""
import torch
from ignite.engine import Engine, Events
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader

from engines import make_update
from parts import PartsDataset, PartNet


def main(epochs=25):
    train_loader = DataLoader(PartsDataset("train"), batch_size=32, shuffle=True)
    val_loader = DataLoader(PartsDataset("val"), batch_size=64)
    model = PartNet()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    scheduler = ExponentialLR(optimizer, gamma=0.9)
    trainer = Engine(make_update(model, optimizer))
    evaluator = Engine(lambda engine, batch: model(batch[0]))

    def decay(engine):
        scheduler.step()

    evaluator.add_event_handler(Events.EPOCH_STARTED, decay)
    trainer.add_event_handler(Events.EPOCH_COMPLETED, lambda engine: evaluator.run(val_loader))
    trainer.run(train_loader, max_epochs=epochs)


if __name__ == "__main__":
    main()
