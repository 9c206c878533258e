# expect: none
"""[TIP401, TIP404] Ignite: a torch OneCycleLR wrapped in ignite's LRScheduler and attached to ITERATION_STARTED; a PiecewiseLinear param scheduler elsewhere (real-world pattern: pytorch-ignite cifar10 example)."""
import torch
from ignite.engine import Events, create_supervised_trainer
from ignite.handlers import LRScheduler, PiecewiseLinear
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader

from cifar import get_train_set
from fastresnet import FastResnet


def run(num_epochs=24):
    train_loader = DataLoader(get_train_set(), batch_size=512, shuffle=True, num_workers=8)
    model = FastResnet().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.4, momentum=0.9, nesterov=True)
    trainer = create_supervised_trainer(model, optimizer, torch.nn.CrossEntropyLoss(), device="cuda")
    one_cycle = OneCycleLR(optimizer, max_lr=0.4, epochs=num_epochs, steps_per_epoch=98)
    trainer.add_event_handler(Events.ITERATION_STARTED, LRScheduler(one_cycle))
    wd_scheduler = PiecewiseLinear(optimizer, "weight_decay", milestones_values=[(0, 5e-4), (98 * num_epochs, 0.0)])
    trainer.add_event_handler(Events.ITERATION_STARTED, wd_scheduler)
    trainer.run(train_loader, max_epochs=num_epochs)


if __name__ == "__main__":
    run()
