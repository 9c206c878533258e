# expect: none
"""[TIP501] DistributedSampler with shuffle=False on pre-shuffled shards: the order never changes by design, set_epoch is moot (real-world pattern: pre-shuffled webdataset-like shards)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from shards import PreShuffledShards
from model import Transformer


def main(epochs=3):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = PreShuffledShards("/data/shards-{000..127}.bin")
    sampler = DistributedSampler(dataset, shuffle=False)
    loader = DataLoader(dataset, batch_size=32, sampler=sampler, num_workers=4)
    model = torch.nn.parallel.DistributedDataParallel(Transformer().cuda())
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    for epoch in range(epochs):
        for tokens in loader:
            loss = model(tokens.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
