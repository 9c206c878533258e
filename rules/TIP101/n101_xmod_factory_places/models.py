# expect: none
"""[TIP101, TIP102] models.py: create_model() builds the network, loads weights and returns it already moved to the device it is given (real-world pattern: factories that place)."""
import torch
import torch.nn as nn


class GCNLite(nn.Module):
    def __init__(self, in_dim, hidden, n_classes):
        super().__init__()
        self.lin1 = nn.Linear(in_dim, hidden)
        self.lin2 = nn.Linear(hidden, n_classes)

    def forward(self, x, adj):
        return self.lin2(torch.relu(adj @ self.lin1(x)))


def create_model(in_dim, n_classes, device, checkpoint=None):
    model = GCNLite(in_dim, 64, n_classes)
    if checkpoint is not None:
        model.load_state_dict(torch.load(checkpoint, map_location="cpu"))
    return model.to(device)
