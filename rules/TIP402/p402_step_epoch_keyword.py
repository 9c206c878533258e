"""[TIP402] Pre-1.1 idiom with a keyword: `scheduler.step(epoch=epoch)` first in the epoch loop, before the batch loop (synthetic); no fix, as for `step(epoch)`."""
import torch
import torch.nn.functional as F
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader

from ocr_data import TextLines
from crnn import Crnn


def main(epochs=30, start_epoch=0):
    loader = DataLoader(TextLines("train"), batch_size=32, shuffle=True)
    model = Crnn(num_classes=37)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = LambdaLR(optimizer, lambda e: 0.9**e)
    for epoch in range(start_epoch, epochs):
        scheduler.step(epoch=epoch)  # expect: TIP402[no-fix]
        for images, targets, lengths in loader:
            log_probs = model(images).log_softmax(2)
            loss = F.ctc_loss(log_probs, targets, lengths, lengths)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
