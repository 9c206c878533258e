"""[TIP103] train.py: UNet from model.py goes to the device, the image and mask batches do not (real-world pattern: Pytorch-UNet-style training scripts)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from carvana import CarvanaDataset
from model import UNet

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
train_loader = DataLoader(CarvanaDataset("data/imgs", "data/masks", scale=0.5), batch_size=4, shuffle=True, num_workers=4)
model = UNet(n_channels=3, n_classes=1).to(device)
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-5, weight_decay=1e-8, momentum=0.999)
criterion = nn.BCEWithLogitsLoss()

for epoch in range(5):
    model.train()
    for imgs, true_masks in train_loader:
        masks_pred = model(imgs)  # expect: TIP103[unsafe-fix]
        loss = criterion(masks_pred, true_masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
