# expect: none
"""[TIP402] CosineAnnealingWarmRestarts stepped with a fractional epoch `scheduler.step(epoch + i / iters)` at the top of the batch loop: deliberate, as in its docs (real-world: torch docs example, moved first)."""
import torch
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts
from torch.utils.data import DataLoader

from ts_data import M4Dataset
from nbeats import NBeats


def main(epochs=100):
    dataloader = DataLoader(M4Dataset("hourly"), batch_size=1024, shuffle=True)
    net = NBeats().cuda()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    scheduler = CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=2)
    iters = len(dataloader)
    for epoch in range(epochs):
        for i, sample in enumerate(dataloader):
            scheduler.step(epoch + i / iters)
            inputs, labels = sample["inputs"].cuda(), sample["labels"].cuda()
            optimizer.zero_grad()
            loss = torch.nn.functional.l1_loss(net(inputs), labels)
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
