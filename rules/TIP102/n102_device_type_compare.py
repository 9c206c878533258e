# expect: none
"""[TIP102] "cuda" strings that place nothing: `device.type == "cuda"`, `torch.amp.GradScaler("cuda", enabled=...)`, `torch.autocast("cuda", enabled=...)`, `torch.device("cuda")` in a comparison (real-world pattern: AMP plumbing)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from wav2vec_lite import AudioClips, KeywordSpotter

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
use_amp = device.type == "cuda"
if device == torch.device("cuda"):
    torch.backends.cudnn.benchmark = True

loader = DataLoader(AudioClips("train"), batch_size=128, shuffle=True, pin_memory=device.type == "cuda")
model = KeywordSpotter(n_classes=35).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scaler = torch.amp.GradScaler("cuda", enabled=use_amp)

for epoch in range(30):
    for clips, labels in loader:
        clips, labels = clips.to(device, non_blocking=True), labels.to(device, non_blocking=True)
        with torch.autocast("cuda", dtype=torch.float16, enabled=use_amp):
            loss = nn.functional.cross_entropy(model(clips), labels)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
