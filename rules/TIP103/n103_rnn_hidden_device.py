# expect: none
"""[TIP101, TIP102, TIP103] LSTM with hidden states created on the batch's device and detached between batches; batch moved first (real-world pattern: truncated-BPTT language models)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from ptb import PTBStream

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class RNNModel(nn.Module):
    def __init__(self, ntoken, ninp=650, nhid=650, nlayers=2):
        super().__init__()
        self.nhid, self.nlayers = nhid, nlayers
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, batch_first=True)
        self.decoder = nn.Linear(nhid, ntoken)

    def init_hidden(self, bsz, device):
        return (
            torch.zeros(self.nlayers, bsz, self.nhid, device=device),
            torch.zeros(self.nlayers, bsz, self.nhid, device=device),
        )

    def forward(self, tokens, hidden):
        y, hidden = self.rnn(self.encoder(tokens), hidden)
        return self.decoder(y), hidden


loader = DataLoader(PTBStream("ptb.train.txt", bptt=35, batch_size=20), batch_size=None)
model = RNNModel(10000).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=20.0)
hidden = model.init_hidden(20, device)

for epoch in range(40):
    for data, targets in loader:
        data, targets = data.to(device), targets.to(device)
        hidden = tuple(h.detach() for h in hidden)
        logits, hidden = model(data, hidden)
        loss = criterion(logits.view(-1, 10000), targets.view(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        optimizer.step()
