"""[TIP402] A table of scheduler classes keyed by the config's name; whichever class the config picks steps before the epoch's first optimizer step (real-world pattern: registries of LR schedulers in config-driven trainers)."""
import torch
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader

from segmentation import Cityscapes, DeepLabV3, miou

LR_POLICIES = {
    "step": lr_scheduler.StepLR,
    "exp": lr_scheduler.ExponentialLR,
}


def train(cfg):
    loader = DataLoader(Cityscapes("train"), batch_size=cfg["batch_size"], shuffle=True, drop_last=True)
    model = DeepLabV3(num_classes=19).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, weight_decay=1e-4)
    scheduler = LR_POLICIES[cfg["policy"]](optimizer, **cfg["policy_args"])
    for epoch in range(cfg["epochs"]):
        scheduler.step()  # expect: TIP402[safe-fix]
        for image, mask in loader:
            loss = torch.nn.functional.cross_entropy(model(image.cuda()), mask.cuda(), ignore_index=255)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, miou(model))


if __name__ == "__main__":
    train({"batch_size": 8, "lr": 0.01, "epochs": 120, "policy": "step", "policy_args": {"step_size": 40}})
