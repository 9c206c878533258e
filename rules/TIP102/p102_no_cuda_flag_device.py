"""[TIP102] A `--no-cuda` flag folded into `args.cuda`, then `device = torch.device("cuda")` regardless (real-world pattern: a flag that is parsed and ignored)."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from vae import VAE, vae_loss
from data import binarized_mnist

parser = argparse.ArgumentParser(description="VAE MNIST Example")
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--no-cuda", action="store_true", default=False)
args = parser.parse_args()
args.cuda = not args.no_cuda and torch.cuda.is_available()

device = torch.device("cuda")  # expect: TIP102[unsafe-fix]
train_loader = DataLoader(binarized_mnist("train"), batch_size=args.batch_size, shuffle=True)
model = VAE().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(1, args.epochs + 1):
    model.train()
    for data, _ in train_loader:
        data = data.to(device)
        recon, mu, logvar = model(data)
        loss = vae_loss(recon, data, mu, logvar)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
