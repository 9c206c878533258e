"""[TIP501, TIP502] Samplers and loaders built by dict comprehensions over splits; train split never reshuffled (synthetic, modelled on multi-split training scripts)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from data import load_splits
from net import Net

SPLITS = ("train", "val")


def main():
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    datasets = load_splits("/data/speech", SPLITS)
    samplers = {split: DistributedSampler(datasets[split]) for split in SPLITS}  # expect: TIP501[no-fix]
    loaders = {split: DataLoader(datasets[split], batch_size=32, sampler=samplers[split]) for split in SPLITS}

    model = torch.nn.parallel.DistributedDataParallel(Net().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    for epoch in range(50):
        model.train()
        for feats, targets in loaders["train"]:
            loss = model(feats.cuda(), targets.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
