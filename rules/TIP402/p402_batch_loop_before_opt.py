"""[TIP402] Per-batch OneCycleLR stepped at the top of the batch loop, before optimizer.step() (synthetic, a common misplacement)."""
import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader

from imdb import IMDBDataset
from lstm import LSTMClassifier


def main(epochs=10):
    loader = DataLoader(IMDBDataset("train"), batch_size=64, shuffle=True)
    model = LSTMClassifier().cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = OneCycleLR(optimizer, max_lr=1e-2, epochs=epochs, steps_per_epoch=len(loader))
    criterion = torch.nn.BCEWithLogitsLoss()
    for epoch in range(epochs):
        model.train()
        for text, label in loader:
            scheduler.step()  # expect: TIP402[safe-fix]
            optimizer.zero_grad()
            loss = criterion(model(text.cuda()).squeeze(1), label.float().cuda())
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
