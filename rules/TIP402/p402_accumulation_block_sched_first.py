"""[TIP402] Gradient accumulation: both steps under `if (i + 1) % accum == 0:`, the scheduler's first. The
steps are ordered inside the nested block the same as in the loop's body; the shared condition holds both
and does not tell them apart (real-world pattern: hand-written transformer fine-tuning loops)."""
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
                torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                sched.step()  # expect: TIP402[safe-fix]
                opt.step()
                net.zero_grad()


if __name__ == "__main__":
    fit()
