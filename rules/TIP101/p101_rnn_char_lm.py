"""[TIP101] Character-level LSTM language model with hidden states re-initialised per batch; trained entirely on the CPU (real-world pattern: char-rnn ports)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from chars import CharChunks


class CharLSTM(nn.Module):
    def __init__(self, vocab_size, hidden_size=256, num_layers=2):
        super().__init__()
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.embed = nn.Embedding(vocab_size, hidden_size)
        self.lstm = nn.LSTM(hidden_size, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def init_hidden(self, batch_size):
        weight = next(self.parameters())
        return (
            weight.new_zeros(self.num_layers, batch_size, self.hidden_size),
            weight.new_zeros(self.num_layers, batch_size, self.hidden_size),
        )

    def forward(self, x, hidden):
        y, hidden = self.lstm(self.embed(x), hidden)
        return self.head(y), hidden


dataset = CharChunks("shakespeare.txt", seq_len=100)
loader = DataLoader(dataset, batch_size=64, shuffle=True, drop_last=True)
net = CharLSTM(dataset.vocab_size)  # expect: TIP101[unsafe-fix]
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(net.parameters(), lr=2e-3)

for epoch in range(20):
    for x, y in loader:
        hidden = net.init_hidden(x.size(0))
        logits, hidden = net(x, hidden)
        loss = criterion(logits.reshape(-1, dataset.vocab_size), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 5.0)
        opt.step()
