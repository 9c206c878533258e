"""[TIP404] Trainer class: self.scheduler = OneCycleLR(...) stepped in on_epoch_end() (synthetic, modelled on Trainer classes)."""
import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader


class Trainer:
    def __init__(self, model, dataset, epochs=20, max_lr=3e-3):
        self.model = model.cuda()
        self.epochs = epochs
        self.loader = DataLoader(dataset, batch_size=64, shuffle=True, drop_last=True)
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=max_lr / 25)
        self.scheduler = OneCycleLR(self.optimizer, max_lr=max_lr, epochs=epochs, steps_per_epoch=len(self.loader))

    def on_epoch_end(self, epoch):
        self.scheduler.step()  # expect: TIP404[no-fix]
        torch.save(self.model.state_dict(), f"epoch{epoch}.pt")

    def fit(self):
        for epoch in range(self.epochs):
            for x, y in self.loader:
                loss = torch.nn.functional.cross_entropy(self.model(x.cuda()), y.cuda())
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
            self.on_epoch_end(epoch)


if __name__ == "__main__":
    from plants import PlantVillage, MobileNetV3

    Trainer(MobileNetV3(), PlantVillage("train")).fit()
