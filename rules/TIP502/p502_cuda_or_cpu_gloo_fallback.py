"""[TIP502] NCCL with a GPU, gloo without: the device is `"cuda" if available else "cpu"` with no
index, so on a GPU machine every rank uses GPU 0. The fix pins the GPU only where there is one."""
import os

import torch
import torch.distributed as dist
import torch.nn as nn


def main():
    use_cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if use_cuda else "gloo")  # expect: TIP502[unsafe-fix]
    device = "cuda" if use_cuda else "cpu"
    model = nn.parallel.DistributedDataParallel(nn.Linear(10, 1).to(device))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for step in range(int(os.environ.get("STEPS", "20"))):
        x = torch.randn(4, 10).to(device)
        loss = model(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
