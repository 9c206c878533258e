# expect: none
"""[TIP402] Step-based loop: each iteration calls train_step(batch), which runs the optimizer step, and then steps the warm-up LambdaLR: the right order through a helper (synthetic look-alike)."""
import torch
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader

from reviews import ReviewPairs, TinyEncoder


def train_step(model, optimizer, batch):
    tokens, labels = batch
    loss = torch.nn.functional.cross_entropy(model(tokens), labels)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()


def main(warmup=500):
    loader = DataLoader(ReviewPairs("train"), batch_size=32, shuffle=True)
    model = TinyEncoder()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    scheduler = LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup))
    for epoch in range(3):
        for batch in loader:
            loss = train_step(model, optimizer, batch)
            scheduler.step()
        print(epoch, loss)


if __name__ == "__main__":
    main()
