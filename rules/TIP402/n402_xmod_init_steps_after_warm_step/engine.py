# expect: none
"""[TIP402] engine.py: the constructor steps the schedule once, but only after a deliberate zero-gradient optimizer step (the order PyTorch asks for), and the step after the `return` never runs; `end_epoch()` steps it again after each epoch."""
import torch


class Engine:
    def __init__(self, model, loader, epochs, lr, use_sgd):
        self.model = model
        self.loader = loader
        self.epochs = epochs
        if use_sgd:
            self.opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
            self.sched = torch.optim.lr_scheduler.MultiStepLR(self.opt, milestones=[30, 60], gamma=0.1)
            self.opt.step()
            self.sched.step()
        else:
            self.opt = torch.optim.Adam(model.parameters(), lr=lr)
            self.sched = torch.optim.lr_scheduler.MultiStepLR(self.opt, milestones=[30, 60], gamma=0.1)
            self.opt.step()
            self.sched.step()
        return
        self.sched.step()  # never runs

    def train_batch(self, images, labels):
        self.opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(self.model(images), labels)
        loss.backward()
        self.opt.step()

    def end_epoch(self):
        self.sched.step()
