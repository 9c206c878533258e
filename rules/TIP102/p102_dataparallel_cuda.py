"""[TIP102] `nn.DataParallel(model).cuda()` and `target.cuda(non_blocking=True)` with no CUDA check and no device_ids (real-world pattern: multi-GPU-by-default ImageNet scripts)."""
import torch
import torch.nn as nn
import torchvision.models as models
from torch.utils.data import DataLoader

from imagenet_data import imagenet_train


def main():
    train_loader = DataLoader(imagenet_train("/data/imagenet"), batch_size=256, shuffle=True, num_workers=16, pin_memory=True)
    model = models.resnet50()
    model = nn.DataParallel(model).cuda()  # expect: TIP102[unsafe-fix]
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    for epoch in range(90):
        model.train()
        for i, (images, target) in enumerate(train_loader):
            target = target.cuda(non_blocking=True)  # expect: TIP102[unsafe-fix]
            output = model(images)
            loss = criterion(output, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
