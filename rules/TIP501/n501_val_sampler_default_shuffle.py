# expect: none
"""[TIP501] Train sampler reshuffled each epoch; the val sampler keeps shuffle's default and no set_epoch, but only feeds a no-grad evaluation loop (synthetic, very common)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from birds import CUB200, ViTSmall


def main(epochs=100):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    train_set, val_set = CUB200("train"), CUB200("test")
    train_sampler = DistributedSampler(train_set)
    val_sampler = DistributedSampler(val_set)
    train_loader = DataLoader(train_set, batch_size=32, sampler=train_sampler, num_workers=8)
    val_loader = DataLoader(val_set, batch_size=64, sampler=val_sampler, num_workers=8)
    model = torch.nn.parallel.DistributedDataParallel(ViTSmall(num_classes=200).cuda())
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    for epoch in range(epochs):
        train_sampler.set_epoch(epoch)
        model.train()
        for images, labels in train_loader:
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        correct = torch.zeros((), device="cuda")
        with torch.no_grad():
            for images, labels in val_loader:
                correct += (model(images.cuda()).argmax(-1) == labels.cuda()).sum()
        dist.all_reduce(correct)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
