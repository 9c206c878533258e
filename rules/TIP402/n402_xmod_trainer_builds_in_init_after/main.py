# expect: none
"""[TIP402] main.py: builds the trainer and runs it (real-world pattern: trainer classes)."""
from torch.utils.data import DataLoader

from config import get_cfg
from fewshot import MiniImageNet, ProtoNet
from trainer import Trainer

if __name__ == "__main__":
    cfg = get_cfg()
    Trainer(cfg, ProtoNet().cuda(), DataLoader(MiniImageNet("train"), batch_size=cfg.batch, shuffle=True)).run()
