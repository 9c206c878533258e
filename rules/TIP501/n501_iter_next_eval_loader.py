# expect: none
"""[TIP501] The training loader's sampler gets set_epoch every epoch; after training, each epoch evaluates on a fixed number of batches pulled with next() from `iter(val_loader)` (a DistributedSampler with the default shuffle). Nothing trains on those batches: nothing to report (synthetic, modelled on detection trainers that validate on a subset)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from det import COCODetection, RetinaNet, evaluate_batch


def main(epochs=24, val_batches=50):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    train_set, val_set = COCODetection("/data/coco", "train2017"), COCODetection("/data/coco", "val2017")
    train_sampler = DistributedSampler(train_set)
    train_loader = DataLoader(train_set, batch_size=2, sampler=train_sampler, num_workers=4)
    val_loader = DataLoader(val_set, batch_size=2, sampler=DistributedSampler(val_set), num_workers=4)
    model = torch.nn.parallel.DistributedDataParallel(RetinaNet().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(epochs):
        train_sampler.set_epoch(epoch)
        model.train()
        for images, targets in train_loader:
            loss = model(images.cuda(), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        batches = iter(val_loader)
        with torch.no_grad():
            for _ in range(val_batches):
                images, targets = next(batches)
                evaluate_batch(model(images.cuda()), targets)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
