# expect: none
"""[TIP502] Look-alike of p502_placed_before_init: the model is placed with `.cuda(local_rank)`
before the process group too, but with the rank's own index, and DDP gets `device_ids=[local_rank]`:
each rank has its own GPU."""
import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP
from torchvision.models import resnet18


def main():
    local_rank = int(os.environ["LOCAL_RANK"])
    model = resnet18(num_classes=10).cuda(local_rank)
    dist.init_process_group("nccl")
    model = DDP(model, device_ids=[local_rank])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(100):
        images = torch.randn(32, 3, 32, 32).cuda(local_rank)
        labels = torch.randint(0, 10, (32,)).cuda(local_rank)
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
