"""[TIP501, TIP502] Each epoch makes `iter(loader)` and an inner `for step in range(len(loader))` pulls with next(); no set_epoch. The pass begins in the epoch loop, so the fix goes at its start (real-world pattern: trainers that interleave two loaders by hand)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from domain import SourceSet, TargetSet, AdaptNet


def main(epochs=60):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    source, target = SourceSet("/data/office/amazon"), TargetSet("/data/office/webcam")
    source_loader = DataLoader(source, batch_size=32, sampler=DistributedSampler(source), drop_last=True)  # expect: TIP501[safe-fix]
    target_loader = DataLoader(target, batch_size=32, shuffle=False, drop_last=True)
    model = torch.nn.parallel.DistributedDataParallel(AdaptNet().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(epochs):
        source_batches = iter(source_loader)
        target_batches = iter(target_loader)
        for step in range(len(source_loader)):
            images, labels = next(source_batches)
            target_images, _ = next(target_batches)
            loss = model(images.cuda(), labels.cuda(), target_images.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
