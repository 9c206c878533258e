# expect: none
"""[TIP402] Look-alike: the scheduler steps in the `if` branch, the optimizer in the `else` branch of one
statement in the loop. Their order inside one iteration is not that of the lines: nothing to report."""
import torch
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader

from review_data import ReviewDataset
from review_models import ReviewClassifier


def fit(epochs=2, accum=4, warmup=100):
    loader = DataLoader(ReviewDataset("train"), batch_size=16, shuffle=True)
    net = ReviewClassifier()
    opt = torch.optim.AdamW(net.parameters(), lr=5e-5)
    sched = LambdaLR(opt, lambda it: min(1.0, it / warmup))
    for epoch in range(epochs):
        for i, (text, label) in enumerate(loader):
            loss = torch.nn.functional.cross_entropy(net(text), label) / accum
            loss.backward()
            if i % accum == 0:
                sched.step()
            else:
                opt.step()
                net.zero_grad()


if __name__ == "__main__":
    fit()
