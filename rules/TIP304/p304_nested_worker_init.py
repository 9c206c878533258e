"""[TIP304] A `worker_init_fn` defined inside the function that builds the loader: pickle stores functions by their importable name, and `make_loader.<locals>.seed_worker` has none, so spawn fails. Its number of workers comes from an option whose default is 8."""
import argparse
import random

import torch
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--workers", type=int, default=8)


def make_loader(args):
    def seed_worker(worker_id):
        random.seed(torch.initial_seed() % 2**32 + worker_id)

    data = TensorDataset(torch.randn(64, 2))
    return DataLoader(data, batch_size=8, shuffle=True, num_workers=args.workers, worker_init_fn=seed_worker)  # expect: TIP304[no-fix]


loader = make_loader(parser.parse_args())
