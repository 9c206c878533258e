"""[TIP502] The model goes to the bare "cuda" device before the process group exists and DDP gets
no `device_ids`: every rank on GPU 0. A `set_device` after `init_process_group` would come too late
for the model, so there is no fix."""
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP
from torchvision.models import resnet18


def main():
    model = resnet18(num_classes=10).to("cuda")
    dist.init_process_group("nccl")  # expect: TIP502[no-fix]
    model = DDP(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(100):
        images = torch.randn(32, 3, 32, 32, device="cuda")
        labels = torch.randint(0, 10, (32,), device="cuda")
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
