# expect: none
"""[TIP402] A setup helper whose fp16 path is unfinished: it raises before building and stepping the schedule there, so that step never runs; the plain path steps the schedule only at the end of each epoch (real-world pattern: TODO branches left after a `raise NotImplementedError`)."""
import torch
from torch.utils.data import DataLoader

from pets import Pets, SmallNet


def setup(model, fp16):
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=20, gamma=0.1)
    if fp16:
        raise NotImplementedError("fp16")
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=20, gamma=0.1)
        sched.step()
    return opt, sched


def main():
    model = SmallNet()
    opt, sched = setup(model, fp16=False)
    loader = DataLoader(Pets("train"), batch_size=32, shuffle=True)
    for epoch in range(60):
        for x, y in loader:
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
        sched.step()


if __name__ == "__main__":
    main()
