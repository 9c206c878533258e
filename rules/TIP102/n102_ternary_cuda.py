# expect: none
"""[TIP102, TIP103] Conditional expressions: `model.cuda() if torch.cuda.is_available() else model` and `.to("cuda" if torch.cuda.is_available() else "cpu")` (real-world pattern: one-line fallbacks)."""
import torch
from torch.utils.data import DataLoader

from poses import KeypointDataset, SimpleBaseline

loader = DataLoader(KeypointDataset("coco/train2017"), batch_size=32, shuffle=True)
model = SimpleBaseline(num_joints=17)
model = model.cuda() if torch.cuda.is_available() else model
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(140):
    for images, heatmaps in loader:
        images = images.to("cuda" if torch.cuda.is_available() else "cpu")
        heatmaps = heatmaps.cuda() if torch.cuda.is_available() else heatmaps
        loss = torch.nn.functional.mse_loss(model(images), heatmaps)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
