"""[TIP101] Named like a test, but a script: it fine-tunes the classifier on the whole dataset and
saves it; no test function, no test framework, and nothing picks a GPU (the look-alike of a
unit test that trains on the CPU on purpose)."""
import torch
from torch.utils.data import DataLoader, TensorDataset

features, labels = torch.load("embeddings.pt")
loader = DataLoader(TensorDataset(features, labels), batch_size=256, shuffle=True)
model = torch.nn.Sequential(torch.nn.Linear(768, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))  # expect: TIP101[unsafe-fix]
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
torch.save(model.state_dict(), "classifier.pt")
