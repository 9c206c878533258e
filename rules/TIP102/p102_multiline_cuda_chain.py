"""[TIP102] A constructor call that spans lines and ends in `.cuda()`: the finding is on the line of `.cuda()`, not where the call starts (real-world pattern: glow-tts style model construction)."""
import torch
import torch.nn as nn

width = 64
model = nn.Sequential(
    nn.Linear(16, width),
    nn.ReLU(),
    nn.Linear(width, 4),
).cuda()  # expect: TIP102[unsafe-fix]
print(model(torch.randn(2, 16).to(next(model.parameters()).device)))
