"""[TIP102] The only placements name CUDA through a formatted string, `"cuda:{}".format(rank)` and `f"cuda:{rank}"`: no `.cuda(` and no plain "cuda" literal in the file, and still a crash without CUDA (real-world pattern: per-rank devices in single-process code paths)."""
import torch
import torch.nn as nn

rank = 0
device = torch.device("cuda:{:d}".format(rank))  # expect: TIP102[no-fix]
model = nn.Linear(4, 2).to(device)
noise = torch.randn(3, 4, device=f"cuda:{rank}")  # expect: TIP102[no-fix]
print(model(noise))
