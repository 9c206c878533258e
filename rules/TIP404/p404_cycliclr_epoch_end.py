"""[TIP404] CyclicLR (step_size_up counted in iterations) stepped once per epoch in a train() helper's caller (synthetic)."""
import torch
from torch.optim.lr_scheduler import CyclicLR
from torch.utils.data import DataLoader

from ecg import PTBXL, ResNet1d


def train(model, loader, optimizer):
    model.train()
    for signals, labels in loader:
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(signals.cuda()), labels.cuda())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def main(epochs=50):
    loader = DataLoader(PTBXL("train"), batch_size=128, shuffle=True)
    model = ResNet1d().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    scheduler = CyclicLR(optimizer, base_lr=1e-4, max_lr=1e-2, step_size_up=4 * len(loader), mode="triangular2")
    for epoch in range(epochs):
        train(model, loader, optimizer)
        scheduler.step()  # expect: TIP404[no-fix]


if __name__ == "__main__":
    main()
