# expect: none
"""[TIP101, TIP102, TIP103] Batches moved with keyword arguments: `.to(device, non_blocking=True, memory_format=torch.channels_last)` and `.to(device=device)` (real-world pattern: performance-tuned loops)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision.models import convnext_tiny

from imagenet_data import imagenet_train

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
loader = DataLoader(imagenet_train("/data/imagenet"), batch_size=256, shuffle=True, num_workers=12, pin_memory=True)
model = convnext_tiny().to(device=device, memory_format=torch.channels_last)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.05)

for epoch in range(300):
    for images, targets in loader:
        images = images.to(device, non_blocking=True, memory_format=torch.channels_last)
        targets = targets.to(device=device, non_blocking=True)
        loss = criterion(model(images), targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
