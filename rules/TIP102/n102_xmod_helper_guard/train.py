# expect: none
"""[TIP101, TIP102, TIP103] train.py: device from utils.get_device(), batches moved by utils.to_device() (real-world pattern: utils modules)."""
import torch
from torch.utils.data import DataLoader

from detection_lite import PennFudan, TinyDetector, detection_loss
from utils import get_device, to_device

device = get_device()
loader = DataLoader(PennFudan("data/PennFudanPed"), batch_size=8, shuffle=True)
model = TinyDetector(num_classes=2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)

for epoch in range(10):
    for batch in loader:
        images, boxes, labels = to_device(batch, device)
        loss = detection_loss(model(images), boxes, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
