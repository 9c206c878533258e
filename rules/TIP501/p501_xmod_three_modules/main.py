"""[TIP501] main.py of a three-module project: loader from datasets.py, batch loop in engine.py, epoch loop here, no set_epoch (synthetic, typical research-repo layout)."""
import torch
import torch.distributed as dist

from datasets import build_train_loader
from engine import train_one_epoch
from models import AudioClassifier


def main(epochs=80):
    dist.init_process_group("nccl")
    device = torch.device("cuda", dist.get_rank() % torch.cuda.device_count())
    loader = build_train_loader("/data/audioset/train.csv", batch_size=48)  # expect: TIP501[safe-fix]
    model = torch.nn.parallel.DistributedDataParallel(AudioClassifier().to(device), device_ids=[device.index])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(epochs):
        loss = train_one_epoch(model, loader, optimizer, device)
        if dist.get_rank() == 0:
            print(f"epoch {epoch}: {loss:.3f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
