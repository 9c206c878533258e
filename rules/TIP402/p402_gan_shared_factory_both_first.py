"""[TIP402] GAN: one project factory builds both schedulers, and both step at the top of the iteration, before either update steps its optimizer: each is reported, the second too (the first one's step is not an earlier step of the second). No fix: which update steps which optimizer is not known for certain (synthetic)."""
import torch
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader

from sketches import Sketches, Painter, Judge


def make_decay(optimizer, gamma):
    return ExponentialLR(optimizer, gamma=gamma)


def judge_update(judge, painter, optimizer, real):
    loss = judge(painter(torch.randn(real.size(0), 32)).detach()).mean() - judge(real).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def painter_update(judge, painter, optimizer, n):
    loss = -judge(painter(torch.randn(n, 32))).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


def run():
    loader = DataLoader(Sketches("/data/sketches"), batch_size=32, shuffle=True)
    painter, judge = Painter(), Judge()
    p_opt = torch.optim.RMSprop(painter.parameters(), lr=5e-5)
    j_opt = torch.optim.RMSprop(judge.parameters(), lr=5e-5)
    p_decay = make_decay(p_opt, 0.999)
    j_decay = make_decay(j_opt, 0.999)
    while True:
        for real in loader:
            p_decay.step()  # expect: TIP402[no-fix]
            j_decay.step()  # expect: TIP402[no-fix]
            judge_update(judge, painter, j_opt, real)
            painter_update(judge, painter, p_opt, real.size(0))


if __name__ == "__main__":
    run()
