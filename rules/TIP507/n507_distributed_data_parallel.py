# expect: none
"""[TIP507] The same training with `DistributedDataParallel`, one process per GPU under torchrun (a comment still calls it "DataParallel"): what the rule recommends. Not a finding."""
import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from speech import LibriSpeech, Conformer


def train(epochs=50):
    dist.init_process_group("nccl")
    local_rank = int(os.environ["LOCAL_RANK"])
    torch.cuda.set_device(local_rank)
    # DataParallel across the node
    model = DistributedDataParallel(Conformer().cuda(), device_ids=[local_rank])
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    dataset = LibriSpeech("train-clean-100")
    sampler = DistributedSampler(dataset)
    loader = DataLoader(dataset, batch_size=32, sampler=sampler)
    for epoch in range(epochs):
        sampler.set_epoch(epoch)
        for features, targets in loader:
            loss = model(features.cuda(), targets.cuda()).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    train()
