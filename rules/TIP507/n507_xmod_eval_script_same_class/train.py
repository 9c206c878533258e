# expect: none
"""[TIP507] Trains a `Classifier` on one GPU, with no DataParallel: its optimizer is not the evaluation script's concern."""
import torch

from model import Classifier


def main():
    model = Classifier().cuda()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(1000):
        x, y = torch.randn(32, 128).cuda(), torch.randint(0, 10, (32,)).cuda()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch.save(model.state_dict(), "classifier.pt")


if __name__ == "__main__":
    main()
