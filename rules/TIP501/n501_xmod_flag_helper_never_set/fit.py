# expect: none
"""[TIP501] fit.py: look-alike of p501_xmod_flag_helper where every call leaves the flag False
(positionally or by keyword): the helper never builds a DistributedSampler, nothing to report."""
import torch

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
    run(net, make_clips_loader(clips, 16), 10)


def fit_again(clips, net):
    run(net, make_clips_loader(clips, 32, False), 10)
