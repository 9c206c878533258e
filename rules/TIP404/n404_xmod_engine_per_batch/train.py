# expect: none
"""[TIP404, TIP402, TIP401] train.py: the CyclicLR is handed to engine.train_one_epoch, which steps it per batch in another module (real-world pattern: references-style engines)."""
import torch
from torch.optim.lr_scheduler import CyclicLR
from torch.utils.data import DataLoader

from engine import train_one_epoch
from ner import CoNLL2003, BiLSTMCRF


def main(epochs=25):
    device = torch.device("cuda")
    loader = DataLoader(CoNLL2003("train"), batch_size=32, shuffle=True)
    model = BiLSTMCRF().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    scheduler = CyclicLR(optimizer, base_lr=1e-4, max_lr=1e-2, step_size_up=2 * len(loader))
    for epoch in range(epochs):
        train_one_epoch(model, loader, optimizer, device, lr_scheduler=scheduler)


if __name__ == "__main__":
    main()
