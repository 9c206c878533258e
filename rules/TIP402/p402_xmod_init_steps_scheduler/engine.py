"""[TIP402] engine.py: the trainer's constructor builds the warm-up schedule and steps it once at once, before any optimizer step; `end_epoch()` steps it again after each epoch (real-world pattern: trainer classes that "prime" the scheduler in `__init__`)."""
import torch


class Engine:
    def __init__(self, model, loader, epochs, lr, use_sgd):
        self.model = model
        self.loader = loader
        self.epochs = epochs
        if use_sgd:
            self.opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
            self.sched = torch.optim.lr_scheduler.MultiStepLR(self.opt, milestones=[30, 60], gamma=0.1)
            self.sched.step()  # expect: TIP402[no-fix]
        else:
            self.opt = torch.optim.Adam(model.parameters(), lr=lr)
            self.sched = torch.optim.lr_scheduler.MultiStepLR(self.opt, milestones=[30, 60], gamma=0.1)
            self.sched.step()  # expect: TIP402[no-fix]

    def train_batch(self, images, labels):
        self.opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(self.model(images), labels)
        loss.backward()
        self.opt.step()

    def end_epoch(self):
        self.sched.step()
