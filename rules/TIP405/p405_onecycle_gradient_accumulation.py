"""[TIP405] OneCycleLR sized for every batch (`steps_per_epoch=len(train_loader)`) but stepped with the optimizer, once every `accum_steps` batches: the schedule walks 1/accum_steps of its cycle, the LR never comes back down. No fix: shrinking the length or stepping every batch are both possible intents."""
import torch
from torch.utils.data import DataLoader

from nlp import ReviewsDataset, build_classifier


def train(epochs=3, accum_steps=8):
    train_loader = DataLoader(ReviewsDataset("train"), batch_size=4, shuffle=True)
    model = build_classifier()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=5e-5, epochs=epochs, steps_per_epoch=len(train_loader)
    )
    for epoch in range(epochs):
        for step, (tokens, labels) in enumerate(train_loader):
            loss = torch.nn.functional.cross_entropy(model(tokens), labels) / accum_steps
            loss.backward()
            if (step + 1) % accum_steps == 0:
                optimizer.step()
                scheduler.step()  # expect: TIP405[no-fix]
                optimizer.zero_grad()


if __name__ == "__main__":
    train()
