"""[TIP402] models.py: two trainer classes with the same methods; each steps its schedulers in `adjust_lr()` and its optimizers in `critic_step()` / `painter_step()` (real-world pattern: one training script for two model variants)."""
import torch
from torch import nn


class PairTrainer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.painter = nn.Linear(cfg.dim, cfg.dim)
        self.critic = nn.Linear(cfg.dim, 1)
        self.p_opt = torch.optim.Adam(self.painter.parameters(), lr=cfg.lr)
        self.c_opt = torch.optim.Adam(self.critic.parameters(), lr=cfg.lr)
        self.p_sched = torch.optim.lr_scheduler.StepLR(self.p_opt, step_size=cfg.every, gamma=0.5)
        self.c_sched = torch.optim.lr_scheduler.StepLR(self.c_opt, step_size=cfg.every, gamma=0.5)

    def adjust_lr(self):
        self.c_sched.step()  # expect: TIP402[no-fix]
        self.p_sched.step()  # expect: TIP402[no-fix]

    def critic_step(self, a, b):
        self.c_opt.zero_grad()
        loss = self.critic(self.painter(a).detach()).mean() - self.critic(b).mean()
        loss.backward()
        self.c_opt.step()

    def painter_step(self, a):
        self.p_opt.zero_grad()
        loss = -self.critic(self.painter(a)).mean()
        loss.backward()
        self.p_opt.step()


class SharedTrainer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.painter = nn.Linear(cfg.dim, cfg.dim)
        self.critic = nn.Linear(cfg.dim, 1)
        self.p_opt = torch.optim.SGD(self.painter.parameters(), lr=cfg.lr)
        self.c_opt = torch.optim.SGD(self.critic.parameters(), lr=cfg.lr)
        self.p_sched = torch.optim.lr_scheduler.ExponentialLR(self.p_opt, gamma=0.99)
        self.c_sched = torch.optim.lr_scheduler.ExponentialLR(self.c_opt, gamma=0.99)

    def adjust_lr(self):
        self.c_sched.step()  # expect: TIP402[no-fix]
        self.p_sched.step()  # expect: TIP402[no-fix]

    def critic_step(self, a, b):
        self.c_opt.zero_grad()
        (self.critic(b).mean() - self.critic(self.painter(a).detach()).mean()).backward()
        self.c_opt.step()

    def painter_step(self, a):
        self.p_opt.zero_grad()
        (-self.critic(self.painter(a)).mean()).backward()
        self.p_opt.step()
