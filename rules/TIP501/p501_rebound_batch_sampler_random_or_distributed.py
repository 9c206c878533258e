"""[TIP501] `sampler = RandomSampler(...) if ... else DistributedSampler(...)`, then the same name rebound to torch's `BatchSampler` around it and given as `batch_sampler=`; the epoch loop never calls `set_epoch`. The fix reaches the sampler as `loader.batch_sampler.sampler`, guarded with `isinstance` (real-world pattern: distillation trainers)."""
import torch
import torch.distributed as dist
from torch.utils.data import BatchSampler, DataLoader, RandomSampler
from torch.utils.data.distributed import DistributedSampler

from lm_data import TokenDataset, build_student


class Distiller:
    def __init__(self, cfg):
        self.cfg = cfg
        dataset = TokenDataset(cfg.data_path)
        sampler = RandomSampler(dataset) if cfg.world_size <= 1 else DistributedSampler(dataset)  # expect: TIP501[safe-fix]
        sampler = BatchSampler(sampler, batch_size=cfg.batch_size, drop_last=False)
        self.dataloader = DataLoader(dataset, batch_sampler=sampler, collate_fn=dataset.collate)
        self.student = build_student(cfg).cuda()
        self.optimizer = torch.optim.AdamW(self.student.parameters(), lr=cfg.lr)

    def train(self):
        for epoch in range(self.cfg.epochs):
            for token_ids, lengths in self.dataloader:
                loss = self.student(token_ids.cuda(), lengths=lengths).loss
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
            if self.cfg.world_size > 1:
                dist.barrier()


def main(cfg):
    Distiller(cfg).train()
