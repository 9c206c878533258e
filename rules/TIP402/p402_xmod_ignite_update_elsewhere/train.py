"""[TIP402] train.py: the trainer's update comes from engines.make_update (which steps the optimizer); a handler added for the trainer's `EPOCH_STARTED` steps the ExponentialLR before each epoch's updates (synthetic)."""
import torch
from ignite.engine import Engine, Events
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader

from engines import make_update
from parts import PartsDataset, PartNet


def main(epochs=25):
    train_loader = DataLoader(PartsDataset("train"), batch_size=32, shuffle=True)
    model = PartNet()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    scheduler = ExponentialLR(optimizer, gamma=0.9)
    trainer = Engine(make_update(model, optimizer))

    def decay(engine):
        scheduler.step()  # expect: TIP402[no-fix]

    trainer.add_event_handler(Events.EPOCH_STARTED, decay)
    trainer.run(train_loader, max_epochs=epochs)


if __name__ == "__main__":
    main()
