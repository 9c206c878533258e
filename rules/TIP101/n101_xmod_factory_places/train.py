# expect: none
"""[TIP101, TIP102, TIP103] train.py: the model comes placed from models.create_model(device), and each graph batch is moved (real-world pattern: factories that place)."""
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from graphs import SubgraphDataset
from models import create_model

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
loader = DataLoader(SubgraphDataset("cora"), batch_size=1, shuffle=True)
model = create_model(1433, 7, device)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)

for epoch in range(200):
    for x, adj, y in loader:
        x, adj, y = x.to(device), adj.to(device), y.to(device)
        loss = F.cross_entropy(model(x[0], adj[0]), y[0])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
