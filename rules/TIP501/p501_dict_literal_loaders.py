"""[TIP501, TIP502] Loaders kept in a dict literal keyed by split; the train split is iterated every epoch and never reshuffled (synthetic, common in multi-split scripts)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from tabular import load_split
from tabnet import TabNet


def main(epochs=200):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    train_set, valid_set = load_split("train"), load_split("valid")
    loaders = {
        "train": DataLoader(train_set, batch_size=1024, sampler=DistributedSampler(train_set)),  # expect: TIP501[no-fix]
        "valid": DataLoader(valid_set, batch_size=1024, sampler=DistributedSampler(valid_set, shuffle=False)),
    }
    model = torch.nn.parallel.DistributedDataParallel(TabNet().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-2)
    for epoch in range(epochs):
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
