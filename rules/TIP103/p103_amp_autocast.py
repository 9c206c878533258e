"""[TIP103] AMP loop whose first use of the unmoved batch is inside `with torch.autocast(...)`: reported on the `with` statement of the loop body (real-world pattern: mixed-precision recipes)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from torchvision.models import vit_b_16

from tiny_imagenet import tiny_imagenet

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
loader = DataLoader(tiny_imagenet("train"), batch_size=256, shuffle=True, num_workers=8)
model = vit_b_16(image_size=64, num_classes=200).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
scaler = torch.amp.GradScaler(enabled=device.type == "cuda")

for epoch in range(100):
    for images, labels in loader:
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16):  # expect: TIP103[unsafe-fix]
            logits = model(images)
            loss = criterion(logits, labels)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
