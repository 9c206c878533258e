# expect: none
"""[TIP402] Look-alike: the project optimizer (an `Optimizer` subclass) steps first, then the schedule from
the project factory."""
import torch
from torch.utils.data import DataLoader

from optim_lib import PlainSGD, warmup_schedule
from speech_data import SpeechDataset
from speech_models import Recognizer


def main(epochs=5):
    loader = DataLoader(SpeechDataset("train"), batch_size=8, shuffle=True)
    model = Recognizer()
    optimizer = PlainSGD(model.parameters(), lr=0.05)
    schedule = warmup_schedule(optimizer, 200)
    for epoch in range(epochs):
        for audio, text in loader:
            model(audio, text).backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()


if __name__ == "__main__":
    main()
