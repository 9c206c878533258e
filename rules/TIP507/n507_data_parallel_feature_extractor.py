# expect: none
"""[TIP507] A frozen backbone in `nn.DataParallel` used only to embed images, while a small head (not wrapped) is what the optimizer trains: the DataParallel model is not trained. Not a finding."""
import torch
from torch import nn
from torch.utils.data import DataLoader

from retrieval import Products, build_backbone


def fit_head(epochs=5):
    backbone = nn.DataParallel(build_backbone().cuda().eval())
    head = nn.Linear(2048, 512).cuda()
    optimizer = torch.optim.Adam(head.parameters(), lr=1e-3)
    loader = DataLoader(Products("train"), batch_size=256, shuffle=True)
    for epoch in range(epochs):
        for images, labels in loader:
            with torch.no_grad():
                features = backbone(images.cuda())
            loss = nn.functional.cross_entropy(head(features), labels.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    fit_head()
