# expect: none
"""[TIP101, TIP102, TIP103] DataParallel scatters the images itself; only the target is moved, to the device the outputs are gathered on (real-world pattern: multi-GPU classification scripts)."""
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader

from imagenet_data import imagenet_train

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
loader = DataLoader(imagenet_train("/data/imagenet"), batch_size=512, shuffle=True, num_workers=16, pin_memory=True)
model = torchvision.models.resnet50()
model = nn.DataParallel(model).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9, weight_decay=1e-4)

for epoch in range(90):
    for images, target in loader:
        target = target.to(device, non_blocking=True)
        output = model(images)
        loss = criterion(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
