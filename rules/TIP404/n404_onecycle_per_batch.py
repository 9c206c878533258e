# expect: none
"""[TIP404, TIP402, TIP401] OneCycleLR stepped after every optimizer step in the batch loop, as documented (real-world: torch docs OneCycleLR example / fast.ai style)."""
import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader
from tqdm import tqdm

from cifar import get_cifar10, ResNet18


def main(epochs=30):
    data_loader = DataLoader(get_cifar10("train"), batch_size=512, shuffle=True, num_workers=8)
    model = ResNet18().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = OneCycleLR(optimizer, max_lr=0.1, steps_per_epoch=len(data_loader), epochs=epochs)
    for epoch in range(epochs):
        for batch in tqdm(data_loader):
            images, labels = batch
            loss = torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()


if __name__ == "__main__":
    main()
