"""[TIP402] The optimizer is a project subclass of torch's `Optimizer` and the scheduler comes from a project
factory returning a `LambdaLR`: the scheduler still steps first (real-world pattern: repositories that
vendor their own AdamW and warm-up helpers)."""
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
            schedule.step()  # expect: TIP402[safe-fix]
            optimizer.step()
            optimizer.zero_grad()


if __name__ == "__main__":
    main()
