"""[TIP402] `scheduler.step()` at the top of the epoch loop; the batch loop returns once `max_steps` optimizer steps are done. Moved after the batch loop, the step would not run in the epoch that returns: the fix is unsafe (real-world pattern: step-budgeted training functions)."""
import torch
from torch.optim.lr_scheduler import ExponentialLR
from torch.utils.data import DataLoader

from speech_data import LibriSpeech
from speech_models import ConformerCTC


def train(max_steps=100_000, epochs=1000):
    loader = DataLoader(LibriSpeech("train-clean-100"), batch_size=32, shuffle=True)
    model = ConformerCTC(vocab=32)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = ExponentialLR(optimizer, gamma=0.98)
    global_step = 0
    for epoch in range(epochs):
        scheduler.step()  # expect: TIP402[unsafe-fix]
        for features, targets in loader:
            loss = model(features, targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            global_step += 1
            if global_step >= max_steps:
                return model
    return model


if __name__ == "__main__":
    train()
