"""[TIP405] CosineAnnealingLR sized for the whole run in batches (`EPOCHS * len(loader)`) but stepped at the end of each epoch: the LR walks EPOCHS of its EPOCHS * len(loader) steps and stays near its start. The length is clearly in batches, so the unsafe fix moves the step into the batch loop."""
import torch
from torch.utils.data import DataLoader

from speech import SpeechCommands, KWSNet

EPOCHS = 50

loader = DataLoader(SpeechCommands("train"), batch_size=128, shuffle=True)
model = KWSNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS * len(loader), eta_min=1e-6)

for epoch in range(EPOCHS):
    for waveforms, labels in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(waveforms), labels)
        loss.backward()
        optimizer.step()
    scheduler.step()  # expect: TIP405[unsafe-fix]
    print(epoch, scheduler.get_last_lr())
