"""[TIP501] The DataLoader gets `DistributedSampler(ds) if distributed else RandomSampler(ds)` inline; no set_epoch. The fix goes through `loader.sampler`, a RandomSampler on one branch, so it is guarded (synthetic, modelled on single-file DDP examples)."""
import os

import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, DistributedSampler, RandomSampler

from audio import SpeechCommands
from kws import KeywordNet


def main(epochs=40):
    distributed = int(os.environ.get("WORLD_SIZE", 1)) > 1
    if distributed:
        dist.init_process_group("nccl")
    dataset = SpeechCommands("/data/speech_commands")
    loader = DataLoader(
        dataset,
        batch_size=128,
        sampler=DistributedSampler(dataset) if distributed else RandomSampler(dataset),  # expect: TIP501[safe-fix]
        num_workers=4,
    )
    model = KeywordNet().cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        for waveforms, labels in loader:
            loss = torch.nn.functional.cross_entropy(model(waveforms.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    if dist.is_initialized():
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
