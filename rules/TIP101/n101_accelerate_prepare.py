# expect: none
"""[TIP101, TIP103] HF accelerate: `accelerator.prepare()` places the model and wraps the loader so batches arrive on the device (real-world pattern: accelerate's nlp_example)."""
import torch
from accelerate import Accelerator
from torch.utils.data import DataLoader

from glue import mrpc_tokenized, collate
from nets import TinyBertClassifier


def training_function(lr=2e-5, num_epochs=3):
    accelerator = Accelerator(mixed_precision="fp16")
    train_dataloader = DataLoader(mrpc_tokenized("train"), shuffle=True, collate_fn=collate, batch_size=32)
    model = TinyBertClassifier(num_labels=2)
    optimizer = torch.optim.AdamW(params=model.parameters(), lr=lr)
    model, optimizer, train_dataloader = accelerator.prepare(model, optimizer, train_dataloader)
    criterion = torch.nn.CrossEntropyLoss()
    for epoch in range(num_epochs):
        model.train()
        for step, (input_ids, attention_mask, labels) in enumerate(train_dataloader):
            logits = model(input_ids, attention_mask)
            loss = criterion(logits, labels)
            accelerator.backward(loss)
            optimizer.step()
            optimizer.zero_grad()


if __name__ == "__main__":
    training_function()
