# expect: none
"""[TIP402] main.py: builds the engine, then runs the epoch loop whose batches step the optimizer (real-world pattern: trainer classes that "prime" the scheduler in `__init__`)."""
from torch.utils.data import DataLoader

from birds import Birds, ResNetHead
from engine import Engine


def main():
    loader = DataLoader(Birds("train"), batch_size=64, shuffle=True)
    engine = Engine(ResNetHead(200), loader, epochs=90, lr=0.01, use_sgd=True)
    for epoch in range(engine.epochs):
        for images, labels in engine.loader:
            engine.train_batch(images, labels)
        engine.end_epoch()


if __name__ == "__main__":
    main()
