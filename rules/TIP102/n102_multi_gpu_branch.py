# expect: none
"""[TIP102] `.cuda(rank)` only on the branch of `if n_gpus > 1:` that runs with GPUs, and a formatted CUDA device there too (look-alike of the single-process `else` branch)."""
import torch
import torch.nn as nn


def main():
    n_gpus = torch.cuda.device_count()
    model = nn.Linear(10, 1)
    if n_gpus > 1:
        rank = 0
        device = torch.device("cuda:{:d}".format(rank))
        model = model.cuda(rank)
    else:
        device = torch.device("cpu")
    print(model(torch.randn(4, 10).to(device)))


if __name__ == "__main__":
    main()
