# expect: none
"""[TIP101, TIP102, TIP103] A multi-line constructor that ends in `.to(device)`, and batches moved by a list comprehension (real-world pattern: the word-language-model Transformer tutorial)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from wikitext import BpttChunks
from transformer_lm import TransformerModel

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
ntokens, emsize, d_hid, nlayers, nhead, dropout = 33278, 200, 200, 2, 2, 0.2
loader = DataLoader(BpttChunks("wikitext-2/train.txt", bptt=35), batch_size=20, shuffle=False)
model = TransformerModel(
    ntokens,
    emsize,
    nhead,
    d_hid,
    nlayers,
    dropout,
).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=5.0)

for epoch in range(1, 4):
    model.train()
    for batch in loader:
        data, targets = [t.to(device) for t in batch]
        logits = model(data)
        loss = criterion(logits.view(-1, ntokens), targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
