# expect: none
"""[TIP102] demo.py: a second entry script that chooses its device with a fallback and calls the same helper."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from engine import train_epoch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = nn.Linear(8, 3).to(device)
loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randint(0, 3, (32,))), batch_size=8)
train_epoch(model, loader, nn.CrossEntropyLoss(), torch.optim.SGD(model.parameters(), lr=0.1))
