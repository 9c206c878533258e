# expect: none
"""[TIP401, TIP402, TIP404] train.py: OneCycleLR created here and stepped in engine.train_one_epoch, another module (real-world pattern: engine helpers owning the per-batch step)."""
import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader

from engine import train_one_epoch
from yolo import YoloDataset, YoloV5s, collate


def main(epochs=100):
    loader = DataLoader(YoloDataset("/data/coco128"), batch_size=16, shuffle=True, collate_fn=collate)
    model = YoloV5s().cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.937, nesterov=True)
    scheduler = OneCycleLR(optimizer, max_lr=0.01, epochs=epochs, steps_per_epoch=len(loader))
    scaler = torch.cuda.amp.GradScaler()
    for epoch in range(epochs):
        train_one_epoch(model, loader, optimizer, scheduler, scaler)


if __name__ == "__main__":
    main()
