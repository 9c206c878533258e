"""[TIP501] The seed chapter's Tip 5 loop made runnable: DistributedSampler without set_epoch (real-world: the seed text)."""
import argparse
import os

import torch
import torch.distributed as dist
import torch.nn.parallel
import torch.optim as optim
from torch.utils.data.distributed import DistributedSampler

from mypkg.data import MyDataset
from mypkg.models import MyModel


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/")
    args = parser.parse_args()
    rank = int(os.environ["RANK"])
    world_size = int(os.environ["WORLD_SIZE"])

    # Initialize the distributed environment
    dist.init_process_group("gloo", rank=rank, world_size=world_size)

    # Create a model and optimizer
    model = MyModel()
    optimizer = optim.SGD(model.parameters(), lr=0.001)
    criterion = torch.nn.CrossEntropyLoss()

    # Wrap the model and optimizer in DataParallel
    model = torch.nn.parallel.DistributedDataParallel(model)

    # Wrap the dataset in DistributedSampler
    dataset = MyDataset(args.data)
    sampler = DistributedSampler(dataset)  # expect: TIP501[safe-fix]
    loader = torch.utils.data.DataLoader(dataset, batch_size=64, sampler=sampler)

    # Train the model
    for epoch in range(100):
        for inputs, targets in loader:
            # Compute the loss and gradients
            optimizer.zero_grad()
            loss = criterion(model(inputs), targets)
            loss.backward()
            # Update the model parameters
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
