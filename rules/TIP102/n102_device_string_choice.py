# expect: none
"""[TIP102] Device strings that hold a choice, not CUDA alone: `device = "cuda"` with `device = "cpu"` in the `else` of a CUDA check; a `"cuda"` kept in a name that is only used under `if torch.cuda.is_available():`; a `device="cuda"` default that every call overrides (look-alikes of a string kept in a name for every move)."""
import torch
import torch.nn as nn


def pick():
    if torch.cuda.is_available():
        device = "cuda"
    else:
        device = "cpu"
    return nn.Linear(8, 8).to(device)


def maybe_move(batch):
    target = "cuda"
    if torch.cuda.is_available():
        batch = batch.to(target)
    return batch


class Extractor:
    def __init__(self, width, device="cuda"):
        self.model = nn.Linear(width, width).to(device)


chosen = "cuda" if torch.cuda.is_available() else "cpu"
extractor = Extractor(16, device=chosen)
print(pick(), maybe_move(torch.zeros(2, 8)).shape, extractor.model)
