# expect: none
"""[TIP402] Look-alike: under `if (i + 1) % accum == 0:` the optimizer steps first, then the scheduler (the
order PyTorch expects)."""
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
            if (i + 1) % accum == 0:
                opt.step()
                sched.step()
                net.zero_grad()


if __name__ == "__main__":
    fit()
