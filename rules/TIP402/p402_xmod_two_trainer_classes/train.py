# expect: none
"""[TIP402] train.py: the trainer is one class or the other by a flag; `adjust_lr()` opens each iteration, before the optimizer steps of either class (real-world pattern: one training script for two model variants)."""
import argparse

from data import paired_loader
from models import PairTrainer, SharedTrainer

parser = argparse.ArgumentParser()
parser.add_argument("--variant", default="pair")
args = parser.parse_args()
cfg = argparse.Namespace(dim=64, lr=1e-4, every=10000)

if args.variant == "pair":
    trainer = PairTrainer(cfg)
else:
    trainer = SharedTrainer(cfg)
for a, b in paired_loader():
    trainer.adjust_lr()
    trainer.critic_step(a, b)
    trainer.painter_step(a)
