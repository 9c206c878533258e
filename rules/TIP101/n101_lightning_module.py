# expect: none
"""[TIP101, TIP103] A LightningModule trained by `L.Trainer(accelerator="auto")`: the batches in training_step are placed by Lightning (real-world pattern: Lightning autoencoder quickstart)."""
import lightning as L
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision.datasets import MNIST
from torchvision.transforms import ToTensor


class LitAutoEncoder(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(28 * 28, 64), nn.ReLU(), nn.Linear(64, 3))
        self.decoder = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 28 * 28))

    def training_step(self, batch, batch_idx):
        x, _ = batch
        x = x.view(x.size(0), -1)
        x_hat = self.decoder(self.encoder(x))
        loss = F.mse_loss(x_hat, x)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)


train_loader = DataLoader(MNIST("data", download=True, transform=ToTensor()), batch_size=64, shuffle=True)
autoencoder = LitAutoEncoder()
trainer = L.Trainer(accelerator="auto", max_epochs=5)
trainer.fit(model=autoencoder, train_dataloaders=train_loader)
