# expect: none
"""[TIP402] `scheduler.step(epoch=epoch)` after the batch loop: the keyword form in the right place (synthetic look-alike; the epoch argument alone is not this rule's business)."""
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
        for images, targets, lengths in loader:
            log_probs = model(images).log_softmax(2)
            loss = F.ctc_loss(log_probs, targets, lengths, lengths)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step(epoch=epoch)


if __name__ == "__main__":
    main()
