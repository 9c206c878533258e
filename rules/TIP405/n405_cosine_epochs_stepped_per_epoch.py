# expect: none
"""[TIP405] CosineAnnealingLR sized in epochs (`T_max=EPOCHS`) and stepped at the end of each epoch: length and steps are both epochs."""
import torch
from torch.utils.data import DataLoader

from speech import SpeechCommands, KWSNet

EPOCHS = 50

loader = DataLoader(SpeechCommands("train"), batch_size=128, shuffle=True)
model = KWSNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS, eta_min=1e-6)

for epoch in range(EPOCHS):
    for waveforms, labels in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(waveforms), labels)
        loss.backward()
        optimizer.step()
    scheduler.step()
