"""[TIP501] DistributedSampler built inline in the DataLoader call, loop via enumerate(tqdm(...)) (real-world pattern: Kaggle DDP kernels)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, DistributedSampler
from tqdm import tqdm

from dataset import ImageFolderDataset
from model import build_model


def run(cfg):
    dist.init_process_group("nccl")
    rank = dist.get_rank()
    device = torch.device("cuda", rank % torch.cuda.device_count())
    dataset = ImageFolderDataset(cfg["train_dir"])
    loader = DataLoader(
        dataset,
        batch_size=cfg["batch_size"],
        sampler=DistributedSampler(dataset, num_replicas=dist.get_world_size(), rank=rank),  # expect: TIP501[safe-fix]
        num_workers=8,
        drop_last=True,
    )
    model = torch.nn.parallel.DistributedDataParallel(build_model(cfg).to(device), device_ids=[device.index])
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=0.05)

    for epoch in range(cfg["epochs"]):
        progress = tqdm(loader, disable=rank != 0, desc=f"epoch {epoch}")
        for step, (x, y) in enumerate(progress):
            x, y = x.to(device), y.to(device)
            loss = torch.nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            progress.set_postfix(loss=loss.item())
    dist.destroy_process_group()


if __name__ == "__main__":
    run({"train_dir": "data/train", "batch_size": 64, "lr": 3e-4, "epochs": 30})
