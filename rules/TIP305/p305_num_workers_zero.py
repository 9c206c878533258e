"""[TIP305] `num_workers=0` written out, for a trainer that moves its model with `.cuda()`: the GPU idles while the main process decodes each batch."""

import torch
from torch.utils.data import DataLoader, Dataset


class Frames(Dataset):
    def __len__(self):
        return 128

    def __getitem__(self, index):
        return torch.randn(3, 16, 16), index % 10


def train():
    loader = DataLoader(Frames(), batch_size=16, shuffle=True, num_workers=0)  # expect: TIP305[unsafe-fix]
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(768, 10)).cuda()
    optimizer = torch.optim.Adam(model.parameters())
    for epoch in range(2):
        for images, labels in loader:
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(images.cuda()), labels.cuda()).backward()
            optimizer.step()
