# expect: none
"""[TIP501] audio_data.py: make_clips_loader() builds a DistributedSampler only when its `sharded` flag is set."""
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler


def make_clips_loader(clips, batch, sharded=False):
    return DataLoader(
        clips,
        batch_size=batch,
        shuffle=not sharded,
        sampler=DistributedSampler(clips) if sharded else None,
        drop_last=True,
    )
