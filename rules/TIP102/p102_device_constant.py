"""[TIP102] A module-level `DEVICE = torch.device("cuda")` constant used for the model and every batch (runnable; real-world pattern: config constants at the top of a script)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

DEVICE = torch.device("cuda")  # expect: TIP102[unsafe-fix]
EPOCHS = 3
BATCH_SIZE = 32


def make_loader():
    torch.manual_seed(0)
    x = torch.randn(200, 10)
    y = x.sum(dim=1, keepdim=True)
    return DataLoader(TensorDataset(x, y), batch_size=BATCH_SIZE, shuffle=True)


def main():
    loader = make_loader()
    model = nn.Sequential(nn.Linear(10, 32), nn.Tanh(), nn.Linear(32, 1)).to(DEVICE)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for epoch in range(EPOCHS):
        for x, y in loader:
            x, y = x.to(DEVICE), y.to(DEVICE)
            loss = nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
