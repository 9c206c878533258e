# expect: none
"""[TIP101, TIP102, TIP103] Native-PyTorch loop over a dict-yielding loader: `batch = {k: v.to(device) for k, v in batch.items()}` before `model(**batch)` (real-world pattern: the transformers "train in native PyTorch" tutorial)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from yelp import tokenized_yelp


class BagOfWords(nn.Module):
    def __init__(self, vocab_size=30522, num_labels=5):
        super().__init__()
        self.emb = nn.EmbeddingBag(vocab_size, 128)
        self.cls = nn.Linear(128, num_labels)

    def forward(self, input_ids, attention_mask, labels):
        logits = self.cls(self.emb(input_ids, per_sample_weights=attention_mask.float(), mode="sum"))
        return nn.functional.cross_entropy(logits, labels)


train_dataloader = DataLoader(tokenized_yelp("train"), shuffle=True, batch_size=8)
model = BagOfWords()
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
model.to(device)

model.train()
for epoch in range(3):
    for batch in train_dataloader:
        batch = {k: v.to(device) for k, v in batch.items()}
        loss = model(**batch)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
