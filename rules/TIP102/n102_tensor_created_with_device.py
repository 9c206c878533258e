# expect: none
"""[TIP102, TIP103] Tensors created with `device=` at creation (positions, masks, hidden states) next to a placed model and moved batches (real-world pattern: sequence models)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from lm_data import TokenBlocks

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class TinyGPT(nn.Module):
    def __init__(self, vocab, dim=256, block=128):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(block, dim)
        layer = nn.TransformerEncoderLayer(dim, 4, 4 * dim, batch_first=True)
        self.blocks = nn.TransformerEncoder(layer, 4)
        self.head = nn.Linear(dim, vocab)

    def forward(self, idx):
        t = idx.size(1)
        pos = torch.arange(t, device=idx.device)
        mask = torch.triu(torch.full((t, t), float("-inf"), device=idx.device), diagonal=1)
        return self.head(self.blocks(self.tok(idx) + self.pos(pos), mask=mask))


loader = DataLoader(TokenBlocks("tinyshakespeare.bin", block=128), batch_size=64, shuffle=True)
model = TinyGPT(vocab=65).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
for step, (x, y) in enumerate(loader):
    x, y = x.to(device), y.to(device)
    logits = model(x)
    loss = nn.functional.cross_entropy(logits.view(-1, 65), y.view(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
