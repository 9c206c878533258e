"""[TIP102] `.to("cuda")` on the model and `.to("cuda:0")` on every tensor of a dict batch, no CUDA check (real-world pattern: notebook code pasted into a script)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from tabular import ChurnDataset, TabularNet

dataset = ChurnDataset("churn.parquet")
loader = DataLoader(dataset, batch_size=256, shuffle=True)
model = TabularNet(dataset.num_features, hidden=128)
model.to("cuda")  # expect: TIP102[unsafe-fix]
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
loss_fn = nn.BCEWithLogitsLoss()

for epoch in range(10):
    for batch in loader:
        batch = {k: v.to("cuda:0") for k, v in batch.items()}  # expect: TIP102[no-fix]
        logits = model(batch["features"])
        loss = loss_fn(logits.squeeze(-1), batch["label"].float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
