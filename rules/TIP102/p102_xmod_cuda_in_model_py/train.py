# expect: none
"""[TIP102] train.py: chooses its device with the fallback idiom and moves the model and the batches (real-world pattern: seq2seq training scripts)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from lang import PairsDataset
from model import EncoderRNN

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
dataset = PairsDataset("eng-fra.txt")
loader = DataLoader(dataset, batch_size=32, shuffle=True)
encoder = EncoderRNN(dataset.vocab_size, 256).to(device)
optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

for epoch in range(20):
    for src, tgt in loader:
        src, tgt = src.to(device), tgt.to(device)
        hidden = encoder.init_hidden(src.size(0))
        logits, _ = encoder(src, hidden)
        loss = criterion(logits.transpose(1, 2), tgt)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
