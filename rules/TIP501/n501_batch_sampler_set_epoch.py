# expect: none
"""[TIP501] BatchSampler(DistributedSampler) as batch_sampler=, reshuffled via `data_loader.batch_sampler.sampler.set_epoch(epoch)` (real-world pattern: DETR-like trainers)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import BatchSampler, DataLoader
from torch.utils.data.distributed import DistributedSampler

from det import CocoDetection, build_detector, collate_fn


def main(epochs=50, batch_size=2):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    dataset = CocoDetection("/data/coco", "train")
    batch_sampler = BatchSampler(DistributedSampler(dataset), batch_size, drop_last=True)
    data_loader = DataLoader(dataset, batch_sampler=batch_sampler, collate_fn=collate_fn, num_workers=2)
    model = torch.nn.parallel.DistributedDataParallel(build_detector().cuda())
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    for epoch in range(epochs):
        data_loader.batch_sampler.sampler.set_epoch(epoch)
        for samples, targets in data_loader:
            losses = sum(model(samples, targets).values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
