"""[TIP402] Module-level script: the epoch loop steps the scheduler, then calls train(epoch), a function over globals that holds the batch loop and `optimizer.step()` (synthetic, the shape of older example scripts)."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from digits import DigitsDataset, SmallConvNet

train_loader = DataLoader(DigitsDataset(train=True), batch_size=64, shuffle=True)
test_loader = DataLoader(DigitsDataset(train=False), batch_size=256)
model = SmallConvNet()
optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
scheduler = StepLR(optimizer, step_size=1, gamma=0.7)


def train(epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        optimizer.zero_grad()
        loss = F.nll_loss(model(data), target)
        loss.backward()
        optimizer.step()
        if batch_idx % 100 == 0:
            print(f"epoch {epoch} batch {batch_idx} loss {loss.item():.4f}")


def test():
    model.eval()
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            correct += (model(data).argmax(1) == target).sum().item()
    return correct / len(test_loader.dataset)


for epoch in range(1, 15):
    scheduler.step()  # expect: TIP402[safe-fix]
    train(epoch)
    print(f"accuracy {test():.3f}")
