"""[TIP102] AMP training: `torch.autocast` and GradScaler are fine, but the model and the batch go to the GPU with `.cuda(non_blocking=True)` and no CUDA check (real-world pattern: mixed-precision recipes)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision.models import resnet50

from imagenet_data import imagenet_train

loader = DataLoader(imagenet_train("/data/imagenet"), batch_size=128, shuffle=True, num_workers=8, pin_memory=True)
model = resnet50().cuda()  # expect: TIP102[unsafe-fix]
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scaler = torch.amp.GradScaler()

for epoch in range(90):
    for images, labels in loader:
        images = images.cuda(non_blocking=True)  # expect: TIP102[unsafe-fix]
        labels = labels.cuda(non_blocking=True)  # expect: TIP102[unsafe-fix]
        with torch.autocast(device_type="cuda", dtype=torch.float16):
            loss = criterion(model(images), labels)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
