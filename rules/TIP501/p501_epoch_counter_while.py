"""[TIP501, TIP502] Epochs counted by hand in a `while epoch < max_epochs` loop; the sampler is never told the epoch (synthetic)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from rec.data import ClickLogDataset
from rec.model import DLRM


def main(max_epochs=10):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    dataset = ClickLogDataset("/data/criteo")
    sampler = DistributedSampler(dataset)  # expect: TIP501[safe-fix]
    loader = DataLoader(dataset, batch_size=2048, sampler=sampler, num_workers=8)
    model = torch.nn.parallel.DistributedDataParallel(DLRM().cuda())
    optimizer = torch.optim.Adagrad(model.parameters(), lr=0.01)
    epoch = 0
    while epoch < max_epochs:
        for dense, sparse, label in loader:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(dense.cuda(), sparse), label.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        epoch += 1
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
