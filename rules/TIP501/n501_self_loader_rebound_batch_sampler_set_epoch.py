# expect: none
"""[TIP501] The trainer of p501_self_loader_rebound_batch_sampler, reshuffling each epoch through `self.loader.batch_sampler.sampler.set_epoch(epoch)` where it is a DistributedSampler."""
import torch
from torch.utils.data import BatchSampler, DataLoader, RandomSampler, Sampler
from torch.utils.data.distributed import DistributedSampler


class LengthBucketBatchSampler(BatchSampler):
    def __init__(self, sampler, lengths, batch_size):
        if not isinstance(sampler, Sampler):
            raise ValueError("expected a Sampler, got {!r}".format(sampler))
        super().__init__(sampler, batch_size, drop_last=False)
        self.lengths = lengths


class StudentTrainer:
    def __init__(self, cfg, dataset, student):
        self.cfg = cfg
        self.student = student
        if cfg.gpus <= 1:
            sampler = RandomSampler(dataset)
        else:
            sampler = DistributedSampler(dataset)
        if cfg.bucket:
            sampler = LengthBucketBatchSampler(sampler, dataset.lengths, cfg.batch_size)
        else:
            sampler = BatchSampler(sampler, batch_size=cfg.batch_size, drop_last=False)
        self.loader = DataLoader(dataset, batch_sampler=sampler, collate_fn=dataset.collate)
        self.optimizer = torch.optim.AdamW(student.parameters(), lr=cfg.lr)

    def fit(self):
        self.student.train()
        for epoch in range(self.cfg.epochs):
            if isinstance(self.loader.batch_sampler.sampler, DistributedSampler):
                self.loader.batch_sampler.sampler.set_epoch(epoch)
            for tokens, mask in self.loader:
                loss = self.student(tokens.cuda(), attention_mask=mask.cuda()).loss
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()


def main(cfg, dataset, student):
    StudentTrainer(cfg, dataset, student).fit()
