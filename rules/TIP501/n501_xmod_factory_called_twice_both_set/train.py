# expect: none
"""[TIP501] train.py: two calls of get_train_loader, and each epoch sets the epoch of both samplers: nothing to report (real-world pattern: semi-supervised segmentation repos done right)."""
import os
import torch
import torch.distributed as dist

from loaders import get_train_loader
from semiseg import DeepLab, VOCAug


def main(epochs=80, iters=500):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    train_loader, train_sampler = get_train_loader(VOCAug("labelled"), 8, True)
    unlabelled_loader, unlabelled_sampler = get_train_loader(VOCAug("unlabelled"), 8, True)
    model = torch.nn.parallel.DistributedDataParallel(DeepLab().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(epochs):
        train_sampler.set_epoch(epoch)
        unlabelled_sampler.set_epoch(epoch)
        labelled = iter(train_loader)
        unlabelled = iter(unlabelled_loader)
        for step in range(iters):
            images, labels = next(labelled)
            extra = next(unlabelled)
            loss = model(images.cuda(), labels.cuda(), extra.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
