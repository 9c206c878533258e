# expect: none
"""[TIP402] main.py: builds the loader and the Trainer, and calls trainer.train(epoch) in the epoch loop (synthetic)."""
from torch.utils.data import DataLoader

from cifar_data import Cifar10
from trainer import Trainer
from wide_resnet import WideResNet

loader = DataLoader(Cifar10("train"), batch_size=128, shuffle=True, num_workers=4)
trainer = Trainer(WideResNet(depth=28, widen=10), loader)
for epoch in range(200):
    trainer.train(epoch)
