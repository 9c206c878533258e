# expect: none
"""[TIP501] loaders.py: one helper builds both splits and returns the pair of DataLoaders."""
from torch.utils.data import DataLoader, DistributedSampler


def pair_of_loaders(train_set, eval_set, batch):
    fit_sampler = DistributedSampler(train_set)
    eval_sampler = DistributedSampler(eval_set, shuffle=False)
    fit_loader = DataLoader(train_set, batch_size=batch, sampler=fit_sampler)
    eval_loader = DataLoader(eval_set, batch_size=batch, sampler=eval_sampler)
    return fit_loader, eval_loader
