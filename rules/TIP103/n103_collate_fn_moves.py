# expect: none
"""[TIP101, TIP102, TIP103] A collate_fn that moves each batch to the device, so the loop feeds the model directly (real-world pattern: single-process loaders with device-side collate)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torch.utils.data.dataloader import default_collate

from ratings import MovieLens1M, NeuMF

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def collate_to_device(samples):
    return tuple(t.to(device) for t in default_collate(samples))


loader = DataLoader(MovieLens1M("ml-1m/ratings.dat"), batch_size=1024, shuffle=True, collate_fn=collate_to_device)
model = NeuMF(n_users=6040, n_items=3706).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.BCEWithLogitsLoss()

for epoch in range(20):
    for users, items, ratings in loader:
        loss = criterion(model(users, items), ratings)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
