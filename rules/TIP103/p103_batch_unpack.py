"""[TIP103] `for batch in loader: x, y = batch` with the model on the device and x, y never moved (real-world pattern: Lightning-style loops rewritten by hand)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

from timeseries import WindowedSeries


class TCN(nn.Module):
    def __init__(self, in_channels, hidden, levels):
        super().__init__()
        layers = []
        for i in range(levels):
            layers += [nn.Conv1d(in_channels if i == 0 else hidden, hidden, 3, padding=2 ** i, dilation=2 ** i), nn.ReLU()]
        self.net = nn.Sequential(*layers)
        self.head = nn.Conv1d(hidden, 1, 1)

    def forward(self, x):
        return self.head(self.net(x))[:, :, -1]


device = "cuda" if torch.cuda.is_available() else "cpu"
loader = DataLoader(WindowedSeries("electricity.csv", window=96), batch_size=64, shuffle=True)
model = TCN(in_channels=1, hidden=64, levels=6).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(30):
    for batch in loader:
        x, y = batch
        y_hat = model(x)  # expect: TIP103[unsafe-fix]
        loss = F.mse_loss(y_hat, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
