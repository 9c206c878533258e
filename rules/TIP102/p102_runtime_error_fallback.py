"""[TIP102] `.cuda()` in an `except RuntimeError:` handler that has nothing to do with GPU memory (a corrupt checkpoint): it runs on a machine without CUDA too (look-alike of an out-of-memory recovery handler)."""
import torch
import torch.nn as nn

model = nn.Linear(4, 2)
try:
    model.load_state_dict(torch.load("weights.pt", map_location="cpu"))
except RuntimeError:
    print("checkpoint does not match: starting from scratch")
    model = nn.Linear(4, 2).cuda()  # expect: TIP102[unsafe-fix]
print(model)
