# expect: none
"""[TIP402] Look-alike: the same package and factories, the scheduler stepped after the epoch's batch loop."""
from torch.utils.data import DataLoader

from reid_data import ReidDataset
from reid_models import ReidNet
from tools import WarmupStepLR, build_optimizer


def main(epochs=10):
    loader = DataLoader(ReidDataset("train"), batch_size=64, shuffle=True)
    net = ReidNet()
    optimizer = build_optimizer(net, "SGD")
    scheduler = WarmupStepLR(optimizer, warmup=5)
    for epoch in range(epochs):
        for images, ids in loader:
            net(images, ids).backward()
            optimizer.step()
            optimizer.zero_grad()
        scheduler.step()


if __name__ == "__main__":
    main()
