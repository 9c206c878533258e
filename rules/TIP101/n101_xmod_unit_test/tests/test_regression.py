# expect: none
"""[TIP101] A unit test that trains a tiny regression model for a few steps on the CPU, on purpose,
to compare the loss with known values (real-world pattern: a book's or a package's test suite)."""
import torch
from torch.utils.data import DataLoader, TensorDataset


def test_loss_goes_down():
    torch.manual_seed(123)
    data = TensorDataset(torch.randn(32, 3), torch.randn(32, 1))
    loader = DataLoader(data, batch_size=8)
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    losses = []
    for epoch in range(3):
        for features, target in loader:
            loss = torch.nn.functional.mse_loss(model(features), target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
