# expect: none
"""[TIP501] One DistributedSampler per task in a list, and each epoch sets the epoch of every one of them before walking the loaders (synthetic, modelled on multi-task fine-tuning)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from multitask import MultiHead, load_tasks


def main(epochs=20):
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    datasets = load_tasks("/data/glue")
    samplers = [DistributedSampler(d) for d in datasets]
    loaders = [DataLoader(d, batch_size=32, sampler=s) for d, s in zip(datasets, samplers)]
    model = torch.nn.parallel.DistributedDataParallel(MultiHead().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(epochs):
        for sampler in samplers:
            sampler.set_epoch(epoch)
        for loader in loaders:
            for inputs, labels in loader:
                loss = model(inputs.cuda(), labels.cuda())
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
