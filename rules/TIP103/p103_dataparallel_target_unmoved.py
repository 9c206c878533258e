"""[TIP103] DataParallel scatters the images itself, but the targets reach the loss on the CPU while the gathered logits are on cuda:0 (real-world pattern: imagenet mains missing `target.cuda(...)`)."""
import torch
import torch.nn as nn
import torchvision.models as models
from torch.utils.data import DataLoader

from imagenet_data import imagenet_train

loader = DataLoader(imagenet_train("/data/imagenet"), batch_size=512, shuffle=True, num_workers=16)
model = models.resnet101()
if torch.cuda.is_available():
    model = nn.DataParallel(model).cuda()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)

for epoch in range(90):
    for images, target in loader:
        output = model(images)
        loss = criterion(output, target)  # expect: TIP103[unsafe-fix]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
