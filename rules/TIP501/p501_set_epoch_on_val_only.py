"""[TIP501, TIP502] set_epoch is called, but on the validation sampler only; the train sampler keeps its order (synthetic, a copy-paste slip)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from proj.data import build_sets
from proj.model import UNet


def main(epochs=100):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    train_set, val_set = build_sets("/data/kits")
    train_sampler = DistributedSampler(train_set)  # expect: TIP501[safe-fix]
    val_sampler = DistributedSampler(val_set, shuffle=False)
    train_loader = DataLoader(train_set, batch_size=2, sampler=train_sampler)
    val_loader = DataLoader(val_set, batch_size=1, sampler=val_sampler)
    model = torch.nn.parallel.DistributedDataParallel(UNet().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)

    for epoch in range(epochs):
        val_sampler.set_epoch(epoch)
        model.train()
        for volume, seg in train_loader:
            loss = model(volume.cuda(), seg.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            for volume, seg in val_loader:
                model(volume.cuda(), seg.cuda())
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
