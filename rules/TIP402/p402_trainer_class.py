"""[TIP402] Trainer class: fit() steps self.scheduler at the start of each epoch, before self.train_epoch() (synthetic, modelled on hand-written Trainer classes)."""
import torch
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader


class Trainer:
    def __init__(self, model, dataset, epochs):
        self.model = model
        self.epochs = epochs
        self.loader = DataLoader(dataset, batch_size=32, shuffle=True)
        self.optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
        self.scheduler = ExponentialLR(self.optimizer, gamma=0.97)

    def train_epoch(self):
        self.model.train()
        for x, y in self.loader:
            self.optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(self.model(x), y)
            loss.backward()
            self.optimizer.step()

    def fit(self):
        for epoch in range(self.epochs):
            self.scheduler.step()  # expect: TIP402[safe-fix]
            self.train_epoch()


if __name__ == "__main__":
    from weather import WeatherSeries, TCN

    Trainer(TCN(), WeatherSeries("/data/jena"), epochs=30).fit()
