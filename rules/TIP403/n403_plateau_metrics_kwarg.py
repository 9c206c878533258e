# expect: none
"""[TIP403] ReduceLROnPlateau(mode="max") stepped with `metrics=val_acc` by keyword, inside a Trainer method (synthetic)."""
import torch
from torch.utils.data import DataLoader


class Classifier:
    def __init__(self, model, train_set, val_set):
        self.model = model
        self.train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
        self.val_loader = DataLoader(val_set, batch_size=128)
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(self.optimizer, mode="max", patience=2)

    def accuracy(self):
        correct = 0
        with torch.no_grad():
            for x, y in self.val_loader:
                correct += (self.model(x).argmax(1) == y).sum().item()
        return correct

    def fit(self, epochs):
        for epoch in range(epochs):
            for x, y in self.train_loader:
                self.optimizer.zero_grad()
                torch.nn.functional.cross_entropy(self.model(x), y).backward()
                self.optimizer.step()
            val_acc = self.accuracy()
            self.scheduler.step(metrics=val_acc)


if __name__ == "__main__":
    from fashion import FashionMNIST, SmallCNN

    Classifier(SmallCNN(), FashionMNIST("train"), FashionMNIST("test")).fit(40)
