"""[TIP102] model.py: the encoder's init_hidden() builds its states with `.cuda()`, so the whole project needs a GPU even though train.py chooses its device with a fallback (real-world pattern: seq2seq model files)."""
import torch
import torch.nn as nn


class EncoderRNN(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size, batch_first=True)
        self.out = nn.Linear(hidden_size, input_size)

    def init_hidden(self, batch_size):
        return torch.zeros(1, batch_size, self.hidden_size).cuda()  # expect: TIP102[unsafe-fix]

    def forward(self, tokens, hidden):
        output, hidden = self.gru(self.embedding(tokens), hidden)
        return self.out(output), hidden
