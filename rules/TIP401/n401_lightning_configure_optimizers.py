# expect: none
"""[TIP401, TIP402] Lightning: configure_optimizers returns a StepLR that Lightning steps; the module never calls .step() itself (real-world pattern: Lightning docs)."""
import lightning.pytorch as pl
import torch
from torch import nn


class LitAutoEncoder(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(28 * 28, 64), nn.ReLU(), nn.Linear(64, 3))
        self.decoder = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 28 * 28))

    def training_step(self, batch, batch_idx):
        x, _ = batch
        x = x.view(x.size(0), -1)
        x_hat = self.decoder(self.encoder(x))
        loss = nn.functional.mse_loss(x_hat, x)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.parameters(), lr=1e-3)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
        return [optimizer], [scheduler]


if __name__ == "__main__":
    from mnist_dm import MNISTDataModule

    pl.Trainer(max_epochs=50).fit(LitAutoEncoder(), datamodule=MNISTDataModule())
