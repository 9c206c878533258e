"""[TIP101] Text classifier over pre-tokenised ids: `for batch in loader: token_ids, labels = batch`; the model is never moved off the CPU (real-world pattern: torchtext-style classification tutorials)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from news_data import AGNewsIds, pad_collate

VOCAB_SIZE = 95_811
EMBED_DIM = 64
NUM_CLASS = 4


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim)
        self.fc = nn.Linear(embed_dim, num_class)

    def forward(self, text):
        return self.fc(self.embedding(text))


def main():
    train_loader = DataLoader(AGNewsIds("train"), batch_size=64, shuffle=True, collate_fn=pad_collate)
    model = TextClassificationModel(VOCAB_SIZE, EMBED_DIM, NUM_CLASS)  # expect: TIP101[unsafe-fix]
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
    for epoch in range(10):
        model.train()
        total_acc, total_count = 0, 0
        for batch in train_loader:
            token_ids, labels = batch
            predicted_label = model(token_ids)
            loss = criterion(predicted_label, labels)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
            optimizer.step()
            total_acc += (predicted_label.argmax(1) == labels).sum().item()
            total_count += labels.size(0)
        print(f"epoch {epoch}: accuracy {total_acc / total_count:.3f}")


if __name__ == "__main__":
    main()
