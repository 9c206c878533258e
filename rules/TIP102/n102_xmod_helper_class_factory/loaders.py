# expect: none
"""[TIP102] loaders.py: the factory that builds the wrapper; nothing here names a device."""
from wrap import Mixing


def make_loader(batches, rank, mix):
    if mix:
        return Mixing(batches, rank)
    return batches
