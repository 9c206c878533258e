# expect: none
"""[TIP501, TIP401, TIP404] Lightning: train_dataloader() returns a loader with a DistributedSampler and configure_optimizers() returns a OneCycleLR; Lightning drives both (real-world pattern: Lightning modules)."""
import lightning.pytorch as pl
import torch
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from ocr import SynthText, CRNN


class OCRModule(pl.LightningModule):
    def __init__(self, lr=1e-3, epochs=20):
        super().__init__()
        self.net = CRNN()
        self.lr = lr
        self.epochs = epochs

    def training_step(self, batch, batch_idx):
        images, targets = batch
        loss = self.net(images, targets)
        self.log("train_loss", loss)
        return loss

    def train_dataloader(self):
        dataset = SynthText("/data/synthtext")
        return DataLoader(dataset, batch_size=64, sampler=DistributedSampler(dataset), num_workers=8)

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.parameters(), lr=self.lr)
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=self.lr, epochs=self.epochs, steps_per_epoch=1000
        )
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}


if __name__ == "__main__":
    trainer = pl.Trainer(max_epochs=20, accelerator="gpu", devices=8, strategy="ddp", use_distributed_sampler=False)
    trainer.fit(OCRModule())
