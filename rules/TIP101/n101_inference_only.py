# expect: none
"""[TIP101] Evaluation script: a trained checkpoint is run over a test loader on the CPU; no optimizer, so nothing is trained (real-world pattern: evaluate.py next to train.py)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))

    def forward(self, x):
        return self.body(x)


test_loader = DataLoader(datasets.MNIST("data", train=False, transform=transforms.ToTensor()), batch_size=1000)
model = Net()
model.load_state_dict(torch.load("mnist_mlp.pt", map_location="cpu"))
model.eval()
criterion = nn.CrossEntropyLoss(reduction="sum")
total_loss, correct = 0.0, 0
with torch.no_grad():
    for images, labels in test_loader:
        logits = model(images)
        total_loss += criterion(logits, labels).item()
        correct += (logits.argmax(1) == labels).sum().item()
print(f"test loss {total_loss / len(test_loader.dataset):.4f}, accuracy {correct / len(test_loader.dataset):.4f}")
