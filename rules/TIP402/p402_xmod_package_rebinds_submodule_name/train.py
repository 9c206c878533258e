"""[TIP402] The optimizer comes from `tools.build_optimizer`, a function the package's __init__.py binds
under the name of its own submodule; the scheduler is a project `_LRScheduler` subclass. The scheduler
steps at the top of the epoch, before the batch loop's optimizer step (real-world pattern: re-id
baselines with a `solver` package)."""
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
        scheduler.step()  # expect: TIP402[safe-fix]
        for images, ids in loader:
            net(images, ids).backward()
            optimizer.step()
            optimizer.zero_grad()


if __name__ == "__main__":
    main()
