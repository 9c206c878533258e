"""[TIP501] fit.py: the single-process entry calls the helper with the flag left False (no sampler:
silent there); the per-rank entry passes sharded=True, and the loop never calls set_epoch: reported there."""
import torch
import torch.distributed as dist

from audio_data import make_clips_loader


def run(net, loader, epochs):
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    for _ in range(epochs):
        for wave, target in loader:
            loss = torch.nn.functional.l1_loss(net(wave), target)
            opt.zero_grad()
            loss.backward()
            opt.step()


def fit_single(clips, net):
    loader = make_clips_loader(clips, 16)
    run(net, loader, 10)


def fit_rank(rank, world, clips, net):
    dist.init_process_group("gloo", rank=rank, world_size=world)
    loader = make_clips_loader(clips, 16, sharded=True)  # expect: TIP501[safe-fix]
    run(torch.nn.parallel.DistributedDataParallel(net), loader, 10)
    dist.destroy_process_group()
