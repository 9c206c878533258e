# expect: none
"""[TIP501, TIP401] PyTorch-Ignite: set_epoch in an EPOCH_STARTED handler, torch scheduler wrapped in ignite's LRScheduler handler (real-world pattern: ignite docs/examples)."""
import os
import torch
import torch.distributed as dist
from ignite.engine import Events, create_supervised_trainer
from ignite.handlers import LRScheduler
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from cifar import get_train_set
from resnet import resnet18


def run(max_epochs=24):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    train_set = get_train_set()
    train_sampler = DistributedSampler(train_set)
    train_loader = DataLoader(train_set, batch_size=512, sampler=train_sampler, num_workers=8)
    model = torch.nn.parallel.DistributedDataParallel(resnet18().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.4, momentum=0.9)
    trainer = create_supervised_trainer(model, optimizer, torch.nn.CrossEntropyLoss(), device="cuda")

    torch_lr_scheduler = ExponentialLR(optimizer=optimizer, gamma=0.98)
    trainer.add_event_handler(Events.ITERATION_COMPLETED, LRScheduler(torch_lr_scheduler))

    @trainer.on(Events.EPOCH_STARTED)
    def set_sampler_epoch(engine):
        train_sampler.set_epoch(engine.state.epoch - 1)

    trainer.run(train_loader, max_epochs=max_epochs)
    dist.destroy_process_group()


if __name__ == "__main__":
    run()
