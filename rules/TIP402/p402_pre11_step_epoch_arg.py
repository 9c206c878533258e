"""[TIP402] Pre-1.1 idiom `scheduler.step(epoch)` at the top of the epoch loop, batch loop inline after it (real-world pattern: pre-1.1 repos, e.g. the PyTorch 1.1 release note's example)."""
import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from mnist_models import LeNet
from torchvision import datasets, transforms


def main(epochs=20, start_epoch=0):
    train_loader = DataLoader(
        datasets.MNIST("../data", train=True, transform=transforms.ToTensor()), batch_size=64, shuffle=True
    )
    model = LeNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    scheduler = StepLR(optimizer, step_size=5, gamma=0.5)
    for epoch in range(start_epoch, epochs):
        scheduler.step(epoch)  # expect: TIP402[no-fix]
        model.train()
        for batch_idx, (data, target) in enumerate(train_loader):
            optimizer.zero_grad()
            output = model(data)
            loss = torch.nn.functional.nll_loss(output, target)
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
