# expect: none
"""[TIP501] src/data/loaders.py: make_train_loader() wraps the dataset in a shuffling DistributedSampler."""

from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchaudio.datasets import LIBRISPEECH


def make_train_loader(root, batch_size):
    dataset = LIBRISPEECH(root, download=False)
    sampler = DistributedSampler(dataset, shuffle=True)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, num_workers=4)
