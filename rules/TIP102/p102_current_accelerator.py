"""[TIP102] `device = torch.accelerator.current_accelerator()` with no `check_available=True`: on a CUDA build without a GPU it still answers cuda (real-world pattern: torch>=2.6 scripts)."""
import torch
from torch import nn
from torch.utils.data import DataLoader

from speech import SpeechCommands, M5

device = torch.accelerator.current_accelerator()  # expect: TIP102[no-fix]
train_loader = DataLoader(SpeechCommands("training"), batch_size=256, shuffle=True)
model = M5(n_input=1, n_output=35).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-4)

for epoch in range(2):
    for waveform, target in train_loader:
        waveform, target = waveform.to(device), target.to(device)
        loss = nn.functional.nll_loss(model(waveform).squeeze(), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
