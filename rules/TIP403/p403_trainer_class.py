"""[TIP403] Trainer class: on_epoch_end() steps self.lr_scheduler (a ReduceLROnPlateau via `optim.lr_scheduler`) without the metric it computed (synthetic, modelled on Trainer classes)."""
import torch
from torch import optim
from torch.utils.data import DataLoader


class Trainer:
    def __init__(self, model, train_set, val_set, epochs=100):
        self.model = model.cuda()
        self.epochs = epochs
        self.train_loader = DataLoader(train_set, batch_size=16, shuffle=True)
        self.val_loader = DataLoader(val_set, batch_size=16)
        self.optimizer = optim.Adam(self.model.parameters(), lr=1e-4)
        self.lr_scheduler = optim.lr_scheduler.ReduceLROnPlateau(self.optimizer, mode="max", patience=5)

    def validate(self):
        self.model.eval()
        dice = 0.0
        with torch.no_grad():
            for x, y in self.val_loader:
                dice += self.model.dice(x.cuda(), y.cuda())
        return dice

    def on_epoch_end(self, epoch):
        dice = self.validate()
        self.lr_scheduler.step()  # expect: TIP403[no-fix]
        print(f"epoch {epoch}: dice {dice:.4f}")

    def fit(self):
        for epoch in range(self.epochs):
            self.model.train()
            for x, y in self.train_loader:
                loss = self.model.loss(x.cuda(), y.cuda())
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
            self.on_epoch_end(epoch)


if __name__ == "__main__":
    from brats import BraTS, UNet3D

    Trainer(UNet3D(), BraTS("train"), BraTS("val")).fit()
