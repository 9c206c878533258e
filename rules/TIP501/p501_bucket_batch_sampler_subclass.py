"""[TIP501] A DistributedSampler subclass used as the loader's batch_sampler (VITS-style DistributedBucketSampler), never set_epoch'd (real-world pattern: VITS train.py minus its set_epoch line)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader

from text_audio import TextAudioCollate, TextAudioLoader
from vits_models import SynthesizerTrn


class DistributedBucketSampler(torch.utils.data.distributed.DistributedSampler):
    def __init__(self, dataset, batch_size, boundaries, num_replicas=None, rank=None, shuffle=True):
        super().__init__(dataset, num_replicas=num_replicas, rank=rank, shuffle=shuffle)
        self.batch_size = batch_size
        self.boundaries = boundaries

    def __iter__(self):
        g = torch.Generator()
        g.manual_seed(self.epoch)
        indices = torch.randperm(len(self.dataset), generator=g).tolist()
        for i in range(0, len(indices), self.batch_size):
            yield indices[i : i + self.batch_size]


def run(rank, n_gpus, hps):
    dist.init_process_group(backend="nccl", init_method="env://", world_size=n_gpus, rank=rank)
    train_dataset = TextAudioLoader(hps.data.training_files, hps.data)
    train_sampler = DistributedBucketSampler(  # expect: TIP501[safe-fix]
        train_dataset, hps.train.batch_size, [32, 300, 400, 500, 600, 700, 800, 900, 1000], num_replicas=n_gpus, rank=rank, shuffle=True
    )
    train_loader = DataLoader(train_dataset, num_workers=8, shuffle=False, pin_memory=True, collate_fn=TextAudioCollate(), batch_sampler=train_sampler)
    net_g = torch.nn.parallel.DistributedDataParallel(SynthesizerTrn().cuda(rank), device_ids=[rank])
    optim_g = torch.optim.AdamW(net_g.parameters(), hps.train.learning_rate, betas=hps.train.betas, eps=hps.train.eps)
    for epoch in range(1, hps.train.epochs + 1):
        for batch_idx, (x, x_lengths, spec, spec_lengths, y, y_lengths) in enumerate(train_loader):
            loss_g = net_g(x.cuda(rank), x_lengths.cuda(rank), spec.cuda(rank), spec_lengths.cuda(rank))
            optim_g.zero_grad()
            loss_g.backward()
            optim_g.step()
    dist.destroy_process_group()
