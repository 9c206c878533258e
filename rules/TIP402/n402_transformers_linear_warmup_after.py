# expect: none
"""[TIP402] Look-alike: transformers' warm-up schedule stepped after the optimizer, in the right order."""
import torch
from torch.utils.data import DataLoader
from transformers import AdamW, get_linear_schedule_with_warmup

from tagging_data import TaggingDataset
from tagging_models import Tagger


def run(epochs=3):
    loader = DataLoader(TaggingDataset("train"), batch_size=32, shuffle=True)
    tagger = Tagger()
    optim = AdamW(tagger.parameters(), lr=3e-5)
    warmup = get_linear_schedule_with_warmup(optim, num_warmup_steps=50, num_training_steps=epochs * len(loader))
    for epoch in range(epochs):
        for tokens, tags in loader:
            tagger(tokens, tags).backward()
            optim.step()
            warmup.step()
            tagger.zero_grad()


if __name__ == "__main__":
    run()
