"""[TIP501, TIP502] Train and val samplers created in one tuple assignment; only the shuffling train one matters (synthetic)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from mydata import get_datasets
from mymodel import ResNet


def evaluate(model, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x.cuda()).argmax(1) == y.cuda()).sum().item()
    return correct


def main():
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    train_ds, val_ds = get_datasets()
    train_sampler, val_sampler = DistributedSampler(train_ds), DistributedSampler(val_ds, shuffle=False)  # expect: TIP501[safe-fix]
    train_loader = DataLoader(train_ds, batch_size=256, sampler=train_sampler, num_workers=8)
    val_loader = DataLoader(val_ds, batch_size=256, sampler=val_sampler, num_workers=8)

    model = torch.nn.parallel.DistributedDataParallel(ResNet().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    criterion = torch.nn.CrossEntropyLoss()

    for epoch in range(90):
        model.train()
        for x, y in train_loader:
            loss = criterion(model(x.cuda()), y.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        evaluate(model, val_loader)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
