"""[TIP501, TIP502] Each epoch makes `iter(loader)` and pulls batches with the iterator's old `.next()` method for a fixed number of iterations; the sampler never gets set_epoch (real-world pattern: semi-supervised segmentation trainers written for Python 2 style iterators)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from semiseg import DeepLab, VOCLabeled


def main(epochs=34, iters_per_epoch=1000):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = VOCLabeled("/data/VOC2012", split="1464")
    sampler = DistributedSampler(dataset)  # expect: TIP501[safe-fix]
    loader = DataLoader(dataset, batch_size=8, sampler=sampler, drop_last=True, num_workers=4)
    model = torch.nn.parallel.DistributedDataParallel(DeepLab().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0025, momentum=0.9)
    for epoch in range(epochs):
        batches = iter(loader)
        for idx in range(iters_per_epoch):
            minibatch = batches.next()
            loss = torch.nn.functional.cross_entropy(model(minibatch["data"].cuda()), minibatch["label"].cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
