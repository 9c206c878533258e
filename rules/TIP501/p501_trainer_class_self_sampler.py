"""[TIP501, TIP502] Trainer class keeps self.train_sampler; fit() loops epochs and train_epoch() iterates, no set_epoch anywhere (real-world pattern: hand-written Trainer classes)."""
import torch
import torch.distributed as dist
from torch.cuda.amp import GradScaler, autocast
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler


class Trainer:
    def __init__(self, model, train_set, cfg):
        self.cfg = cfg
        self.model = torch.nn.parallel.DistributedDataParallel(model.cuda())
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=cfg.lr)
        self.scaler = GradScaler()
        self.train_sampler = DistributedSampler(train_set, shuffle=True, seed=cfg.seed)  # expect: TIP501[safe-fix]
        self.train_loader = DataLoader(train_set, batch_size=cfg.batch_size, sampler=self.train_sampler, num_workers=4)

    def train_epoch(self, epoch):
        self.model.train()
        for batch in self.train_loader:
            inputs, targets = batch["input"].cuda(), batch["target"].cuda()
            with autocast():
                loss = self.model(inputs, targets)
            self.optimizer.zero_grad()
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()

    def fit(self):
        for epoch in range(self.cfg.epochs):
            self.train_epoch(epoch)
            if dist.get_rank() == 0:
                torch.save(self.model.module.state_dict(), f"ckpt_{epoch}.pt")


def main(cfg, model, train_set):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    Trainer(model, train_set, cfg).fit()
    dist.destroy_process_group()
