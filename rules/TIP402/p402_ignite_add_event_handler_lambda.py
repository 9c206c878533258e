"""[TIP402] Ignite: `create_supervised_trainer` steps the optimizer; `add_event_handler(Events.EPOCH_STARTED, lambda ...)` steps the CosineAnnealingLR before each epoch's updates (synthetic)."""
import torch
from ignite.engine import Events, create_supervised_trainer
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader

from leaves import LeafDataset, LeafNet


def main(epochs=30):
    loader = DataLoader(LeafDataset("train"), batch_size=64, shuffle=True)
    model = LeafNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    trainer = create_supervised_trainer(model, optimizer, torch.nn.CrossEntropyLoss())
    scheduler = CosineAnnealingLR(optimizer, T_max=epochs)
    trainer.add_event_handler(Events.EPOCH_STARTED, lambda engine: scheduler.step())  # expect: TIP402[no-fix]
    trainer.run(loader, max_epochs=epochs)


if __name__ == "__main__":
    main()
