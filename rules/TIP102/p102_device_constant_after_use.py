"""[TIP102] A `DEVICE` choice with a fallback exists, but only after the line that calls `.cuda()`: reusing it there would be a NameError, so there is no fix (synthetic, constants defined late)."""
import torch

model = torch.nn.Linear(2, 2).cuda()  # expect: TIP102[no-fix]
DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(model(torch.zeros(1, 2, device=DEVICE)))
