# expect: none
"""[TIP101, TIP102, TIP103] `--no-cuda` honoured the old pytorch/examples way: `args.cuda = not args.no_cuda and torch.cuda.is_available()`, then every `.cuda()` under `if args.cuda:`."""
import argparse

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from data import binarized_mnist
from vae import VAE

parser = argparse.ArgumentParser(description="VAE MNIST Example")
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--no-cuda", action="store_true", default=False)
args = parser.parse_args()
args.cuda = not args.no_cuda and torch.cuda.is_available()

train_loader = DataLoader(binarized_mnist("train"), batch_size=args.batch_size, shuffle=True)
model = VAE()
if args.cuda:
    model.cuda()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(1, args.epochs + 1):
    model.train()
    for batch_idx, (data, _) in enumerate(train_loader):
        if args.cuda:
            data = data.cuda()
        recon_batch, mu, logvar = model(data)
        bce = F.binary_cross_entropy(recon_batch, data.view(-1, 784), reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = bce + kld
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
