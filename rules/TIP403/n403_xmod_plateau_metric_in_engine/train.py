# expect: none
"""[TIP403, TIP401] train.py: the Plateau scheduler is stepped with a metric in engine.evaluate_and_step, another module (synthetic)."""
import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau
from torch.utils.data import DataLoader

from engine import evaluate_and_step
from airq import AirQuality, GRUForecaster


def main(epochs=150):
    train_loader = DataLoader(AirQuality("train"), batch_size=256, shuffle=True)
    val_loader = DataLoader(AirQuality("val"), batch_size=1024)
    model = GRUForecaster().cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = ReduceLROnPlateau(optimizer, patience=8)
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            loss = torch.nn.functional.l1_loss(model(x.cuda()), y.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        evaluate_and_step(model, val_loader, scheduler)


if __name__ == "__main__":
    main()
