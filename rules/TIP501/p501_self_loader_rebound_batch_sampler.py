"""[TIP501] A trainer class picks `RandomSampler` or `DistributedSampler` by GPU count, rebinds the same name to a batch sampler around it (a project subclass that checks its argument with `str.format`), keeps the loader in `self.loader`; `fit()` loops the epochs over it with no `set_epoch` (real-world pattern: knowledge-distillation trainers). No fix: the name held the batch sampler too."""
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
            sampler = DistributedSampler(dataset)  # expect: TIP501[no-fix]
        if cfg.bucket:
            sampler = LengthBucketBatchSampler(sampler, dataset.lengths, cfg.batch_size)
        else:
            sampler = BatchSampler(sampler, batch_size=cfg.batch_size, drop_last=False)
        self.loader = DataLoader(dataset, batch_sampler=sampler, collate_fn=dataset.collate)
        self.optimizer = torch.optim.AdamW(student.parameters(), lr=cfg.lr)

    def fit(self):
        self.student.train()
        for _ in range(self.cfg.epochs):
            for tokens, mask in self.loader:
                loss = self.student(tokens.cuda(), attention_mask=mask.cuda()).loss
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()


def main(cfg, dataset, student):
    StudentTrainer(cfg, dataset, student).fit()
