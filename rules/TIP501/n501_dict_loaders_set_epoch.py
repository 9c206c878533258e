# expect: none
"""[TIP501] Loaders and samplers kept in dicts keyed by split; the train sampler is reshuffled via `samplers["train"].set_epoch(epoch)` (synthetic, common in multi-split scripts)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from tabular import load_split
from tabnet import TabNet


def main(epochs=200):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    train_set, valid_set = load_split("train"), load_split("valid")
    samplers = {"train": DistributedSampler(train_set), "valid": DistributedSampler(valid_set, shuffle=False)}
    loaders = {
        "train": DataLoader(train_set, batch_size=1024, sampler=samplers["train"]),
        "valid": DataLoader(valid_set, batch_size=1024, sampler=samplers["valid"]),
    }
    model = torch.nn.parallel.DistributedDataParallel(TabNet().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-2)
    for epoch in range(epochs):
        samplers["train"].set_epoch(epoch)
        model.train()
        for x, y in loaders["train"]:
            loss = torch.nn.functional.mse_loss(model(x.cuda()), y.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            for x, y in loaders["valid"]:
                model(x.cuda())
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
