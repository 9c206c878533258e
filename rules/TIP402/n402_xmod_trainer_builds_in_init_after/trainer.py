# expect: none
"""[TIP402, TIP401] trainer.py: the trainer unpacks the helper's optimizer and scheduler into `self` attributes in `__init__`; `run()` steps the scheduler after the batch loop (real-world pattern: trainer classes)."""
from solver_utils import build_solver


class Trainer:
    def __init__(self, cfg, model, loader):
        self.cfg = cfg
        self.model = model
        self.loader = loader
        self.optimizer, self.scheduler = build_solver(cfg, model)

    def run(self):
        for epoch in range(self.cfg.epochs):
            self.model.train()
            for inputs, targets in self.loader:
                loss = self.model(inputs.cuda(), targets.cuda())
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
            self.scheduler.step()
