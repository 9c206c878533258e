# expect: none
"""[TIP502] Look-alike of p502_cuda_or_cpu_gloo_fallback: each rank narrows CUDA_VISIBLE_DEVICES to
its own GPU before anything touches CUDA, so the bare "cuda" device is that rank's card."""
import os

os.environ["CUDA_VISIBLE_DEVICES"] = os.environ.get("LOCAL_RANK", "0")

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.nn as nn  # noqa: E402


def main():
    use_cuda = torch.cuda.is_available()
    dist.init_process_group("nccl" if use_cuda else "gloo")
    device = "cuda" if use_cuda else "cpu"
    model = nn.parallel.DistributedDataParallel(nn.Linear(10, 1).to(device))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for step in range(20):
        x = torch.randn(4, 10).to(device)
        loss = model(x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
