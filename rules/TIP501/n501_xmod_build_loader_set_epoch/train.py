# expect: none
"""[TIP501] train.py unpacks (loader, sampler) from data.make_train_loader and calls sampler.set_epoch(epoch) (real-world pattern: builder returning the sampler too)."""
import os
import torch
import torch.distributed as dist

from data import make_train_loader
from textmodels import TextCNN


def main(epochs=20):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    train_loader, train_sampler = make_train_loader("/data/agnews/train.csv", 128)
    model = torch.nn.parallel.DistributedDataParallel(TextCNN().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        train_sampler.set_epoch(epoch)
        for tokens, labels in train_loader:
            loss = torch.nn.functional.cross_entropy(model(tokens.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
