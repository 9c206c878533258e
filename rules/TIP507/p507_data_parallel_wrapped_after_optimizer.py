"""[TIP507] The optimizer is built on the bare model, then the model is wrapped in `torch.nn.DataParallel` when several GPUs are visible and trained through the wrapper: the wrapped model is trained."""
import torch
from torch.utils.data import DataLoader

from speech import LibriSpeech, Conformer


def train(epochs=50):
    model = Conformer().cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
    if torch.cuda.device_count() > 1:
        model = torch.nn.DataParallel(model)  # expect: TIP507[no-fix]
    loader = DataLoader(LibriSpeech("train-clean-100"), batch_size=32, shuffle=True)
    for epoch in range(epochs):
        for features, targets in loader:
            loss = model(features.cuda(), targets.cuda()).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    train()
