"""[TIP501, TIP502] Domain adaptation: source and target loaders zipped in the batch loop; neither sampler reshuffled (real-world pattern: DANN-style training scripts)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from da.data import OfficeHome
from da.models import DANN


def main(epochs=30):
    dist.init_process_group("nccl")  # expect: TIP502[unsafe-fix]
    source, target = OfficeHome("Art"), OfficeHome("Clipart", labelled=False)
    source_loader = DataLoader(source, batch_size=32, sampler=DistributedSampler(source), drop_last=True)  # expect: TIP501[safe-fix]
    target_loader = DataLoader(target, batch_size=32, sampler=DistributedSampler(target), drop_last=True)  # expect: TIP501[safe-fix]

    model = torch.nn.parallel.DistributedDataParallel(DANN().cuda())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    for epoch in range(epochs):
        for (xs, ys), (xt, _) in zip(source_loader, target_loader):
            cls_loss, domain_loss = model(xs.cuda(), ys.cuda(), xt.cuda())
            loss = cls_loss + 0.1 * domain_loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
