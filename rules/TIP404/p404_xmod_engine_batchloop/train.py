"""[TIP404] train.py: a OneCycleLR stepped after each engine.train_one_epoch call instead of being passed in for per-batch steps (synthetic)."""
import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader

from engine import train_one_epoch
from ner import CoNLL2003, BiLSTMCRF


def main(epochs=25):
    device = torch.device("cuda")
    loader = DataLoader(CoNLL2003("train"), batch_size=32, shuffle=True)
    model = BiLSTMCRF().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = OneCycleLR(optimizer, max_lr=5e-3, epochs=epochs, steps_per_epoch=len(loader))
    for epoch in range(epochs):
        train_one_epoch(model, loader, optimizer, device)
        scheduler.step()  # expect: TIP404[no-fix]


if __name__ == "__main__":
    main()
