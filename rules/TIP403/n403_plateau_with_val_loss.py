# expect: none
"""[TIP403, TIP402] ReduceLROnPlateau stepped with the validation loss, as documented (real-world: torch docs example `scheduler.step(val_loss)`)."""
import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau
from torch.utils.data import DataLoader

from sentiment import SST2, TextRNN


def main(epochs=30):
    train_loader = DataLoader(SST2("train"), batch_size=64, shuffle=True)
    val_loader = DataLoader(SST2("dev"), batch_size=256)
    model = TextRNN().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = ReduceLROnPlateau(optimizer, "min")
    for epoch in range(epochs):
        for text, label in train_loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(text.cuda()), label.cuda())
            loss.backward()
            optimizer.step()
        val_loss = 0.0
        with torch.no_grad():
            for text, label in val_loader:
                val_loss += torch.nn.functional.cross_entropy(model(text.cuda()), label.cuda()).item()
        scheduler.step(val_loss)


if __name__ == "__main__":
    main()
