"""[TIP501, TIP502] One DistributedSampler per task in a list, loaders zipped with them in a list comprehension, each epoch walks the loaders in turn; no set_epoch. The loop over the loaders is no epoch loop; the fix is not obvious (synthetic, modelled on multi-task fine-tuning)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from multitask import MultiHead, load_tasks


def main(epochs=20):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    datasets = load_tasks("/data/glue")
    samplers = [DistributedSampler(d) for d in datasets]  # expect: TIP501[no-fix]
    loaders = [DataLoader(d, batch_size=32, sampler=s) for d, s in zip(datasets, samplers)]
    model = torch.nn.parallel.DistributedDataParallel(MultiHead().cuda())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(epochs):
        for loader in loaders:
            for inputs, labels in loader:
                loss = model(inputs.cuda(), labels.cuda())
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
