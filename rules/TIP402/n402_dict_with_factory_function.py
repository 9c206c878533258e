# expect: none
"""[TIP402, TIP401] A table of scheduler builders where one entry is a project function (a warmup schedule built around the optimizer): what the table gives is not known to be a torch class, so nothing is said about its step (real-world pattern: registries of LR schedulers)."""
import torch
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader

from segmentation import Cityscapes, DeepLabV3, miou


def poly_with_warmup(optimizer, **kwargs):
    return PolyWarmup(optimizer, kwargs["warmup"], kwargs["total"])


LR_POLICIES = {
    "step": lr_scheduler.StepLR,
    "poly": poly_with_warmup,
}


def train(cfg):
    loader = DataLoader(Cityscapes("train"), batch_size=cfg["batch_size"], shuffle=True, drop_last=True)
    model = DeepLabV3(num_classes=19).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, weight_decay=1e-4)
    scheduler = LR_POLICIES[cfg["policy"]](optimizer, **cfg["policy_args"])
    for epoch in range(cfg["epochs"]):
        scheduler.step()
        for image, mask in loader:
            loss = torch.nn.functional.cross_entropy(model(image.cuda()), mask.cuda(), ignore_index=255)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, miou(model))


if __name__ == "__main__":
    from poly import PolyWarmup

    train({"batch_size": 8, "lr": 0.01, "epochs": 120, "policy": "poly", "policy_args": {"warmup": 3, "total": 120}})
