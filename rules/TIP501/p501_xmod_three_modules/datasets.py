# expect: none
"""[TIP501] datasets.py of a three-module project: build_train_loader() wraps the dataset in a DistributedSampler (synthetic, typical research-repo layout)."""
import torch
from torch.utils.data import DataLoader, DistributedSampler

from audio_io import load_manifest


def build_train_loader(manifest, batch_size):
    dataset = load_manifest(manifest)
    sampler = DistributedSampler(dataset)
    return DataLoader(dataset, batch_size=batch_size, sampler=sampler, num_workers=6, pin_memory=True)
