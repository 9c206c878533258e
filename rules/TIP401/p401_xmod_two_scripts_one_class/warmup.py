# expect: none
"""[TIP401] warmup.py: a linear-warmup schedule the project's two training scripts share (real-world pattern: a lr_scheduler.py beside several train_*.py)."""
from torch.optim.lr_scheduler import LambdaLR


class LinearWarmup(LambdaLR):
    def __init__(self, optimizer, warmup_steps):
        super().__init__(optimizer, lambda step: min(1.0, (step + 1) / warmup_steps))
