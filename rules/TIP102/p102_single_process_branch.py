"""[TIP102] `torch.device(f"cuda:{rank}")` and `.cuda(rank)` in a worker that `main()` also calls single-process when fewer than two GPUs are found: the `else` of `if n_gpus > 1:` runs without CUDA too (real-world pattern: vocoder training scripts with mp.spawn)."""
import torch
import torch.multiprocessing as mp
import torch.nn as nn


def train(rank, steps):
    device = torch.device(f"cuda:{rank}")  # expect: TIP102[no-fix]
    model = nn.Linear(10, 1).to(device)
    optimizer = torch.optim.Adam(model.parameters())
    for _ in range(steps):
        batch = torch.randn(16, 10).cuda(rank)  # expect: TIP102[no-fix]
        loss = model(batch).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main():
    n_gpus = torch.cuda.device_count()
    if n_gpus > 1:
        mp.spawn(train, nprocs=n_gpus, args=(100,))
    else:
        train(0, 100)


if __name__ == "__main__":
    main()
