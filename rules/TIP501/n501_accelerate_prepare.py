# expect: none
"""[TIP501, TIP401, TIP402] HF accelerate: loader (with its own DistributedSampler) and torch scheduler handed to accelerator.prepare: accelerate's loader sets the sampler's epoch itself, and the prepared scheduler is stepped after the optimizer, in the batch loop (real-world pattern: accelerate examples)."""
import torch
from accelerate import Accelerator
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from glue import load_mrpc, collate
from bert import BertForSequenceClassification


def training_function(config):
    accelerator = Accelerator(mixed_precision="fp16")
    train_set = load_mrpc("train")
    train_dataloader = DataLoader(
        train_set, batch_size=config["batch_size"], sampler=DistributedSampler(train_set), collate_fn=collate
    )
    model = BertForSequenceClassification()
    optimizer = torch.optim.AdamW(model.parameters(), lr=config["lr"])
    lr_scheduler = OneCycleLR(optimizer, max_lr=config["lr"], epochs=config["num_epochs"], steps_per_epoch=100)
    model, optimizer, train_dataloader, lr_scheduler = accelerator.prepare(model, optimizer, train_dataloader, lr_scheduler)

    for epoch in range(config["num_epochs"]):
        model.train()
        for step, batch in enumerate(train_dataloader):
            outputs = model(**batch)
            accelerator.backward(outputs.loss)
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()


if __name__ == "__main__":
    training_function({"lr": 2e-5, "num_epochs": 3, "batch_size": 16})
