# expect: none
"""[TIP402] `if epoch > 0: scheduler.step()` at the top of the epoch loop: it only runs after an epoch of optimizer steps (real-world pattern: a common workaround after the 1.1 warning)."""
import torch
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader

from kws import SpeechCommands, MatchboxNet


def main(epochs=60):
    loader = DataLoader(SpeechCommands("train"), batch_size=128, shuffle=True)
    model = MatchboxNet().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = StepLR(optimizer, step_size=20, gamma=0.1)
    for epoch in range(epochs):
        if epoch > 0:
            scheduler.step()
        for audio, label in loader:
            loss = torch.nn.functional.cross_entropy(model(audio.cuda()), label.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
