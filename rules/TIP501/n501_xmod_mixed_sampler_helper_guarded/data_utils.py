# expect: none
"""[TIP501] data_utils.py of a guarded project: get_sampler() returns a RandomSampler for one process and a DistributedSampler under torchrun (real-world pattern: fine-tuning repos' data helpers)."""
from torch.utils.data import RandomSampler, SequentialSampler
from torch.utils.data.distributed import DistributedSampler


def get_sampler(dataset, local_rank, train=True):
    if not train:
        return SequentialSampler(dataset)
    return RandomSampler(dataset) if local_rank == -1 else DistributedSampler(dataset)
