"""[TIP401] Trainer class stores self.scheduler = CosineAnnealingLR(...) but only logs get_last_lr(); nothing steps it (synthetic, modelled on hand-written Trainer classes)."""
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
from torch.utils.data import DataLoader


class Trainer:
    def __init__(self, model, train_set, epochs=100, lr=3e-4):
        self.model = model.cuda()
        self.epochs = epochs
        self.loader = DataLoader(train_set, batch_size=64, shuffle=True, num_workers=4)
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=lr, weight_decay=0.05)
        self.scheduler = CosineAnnealingLR(self.optimizer, T_max=epochs)  # expect: TIP401[unsafe-fix]

    def train_epoch(self):
        self.model.train()
        for x, y in self.loader:
            loss = torch.nn.functional.cross_entropy(self.model(x.cuda()), y.cuda())
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
        return loss.item()

    def fit(self):
        for epoch in range(self.epochs):
            loss = self.train_epoch()
            print(epoch, loss, self.scheduler.get_last_lr())


if __name__ == "__main__":
    from zoo import ConvNeXtTiny, Food101

    Trainer(ConvNeXtTiny(), Food101("/data/food101")).fit()
