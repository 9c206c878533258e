# expect: none
"""[TIP401, TIP402, TIP403] timm schedulers: `lr_scheduler.step(epoch + 1, metric)` per epoch and `step_update(num_updates)` per batch; not torch's API (real-world: huggingface/pytorch-image-models train.py)."""
import torch
from timm.scheduler import CosineLRScheduler
from torch.utils.data import DataLoader

from timm_data import create_dataset, validate
import timm


def main(num_epochs=300):
    model = timm.create_model("resnet50", num_classes=1000).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    loader = DataLoader(create_dataset("train"), batch_size=256, shuffle=True, num_workers=8)
    lr_scheduler = CosineLRScheduler(optimizer, t_initial=num_epochs, warmup_t=5, warmup_lr_init=1e-4)
    num_updates = 0
    for epoch in range(num_epochs):
        for input, target in loader:
            loss = torch.nn.functional.cross_entropy(model(input.cuda()), target.cuda())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            num_updates += 1
            lr_scheduler.step_update(num_updates=num_updates)
        eval_metrics = validate(model)
        lr_scheduler.step(epoch + 1, eval_metrics["top1"])


if __name__ == "__main__":
    main()
