# expect: none
"""[TIP101, TIP103] A plain nn.Module trained by the HF Trainer with a custom compute_loss and an optimizer built by hand: placement is the Trainer's (real-world pattern: Trainer with non-transformers models)."""
import torch
import torch.nn as nn
from transformers import Trainer, TrainingArguments

from tabular import CreditDefaultDataset


class MLP(nn.Module):
    def __init__(self, n_features, n_classes=2):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_features, 256), nn.GELU(), nn.Dropout(0.1), nn.Linear(256, n_classes))

    def forward(self, features):
        return self.net(features)


class TabularTrainer(Trainer):
    def compute_loss(self, model, inputs, return_outputs=False, **kwargs):
        labels = inputs.pop("labels")
        logits = model(inputs["features"])
        loss = nn.functional.cross_entropy(logits, labels)
        return (loss, logits) if return_outputs else loss


def main():
    train_ds = CreditDefaultDataset("train.csv")
    model = MLP(train_ds.n_features)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    args = TrainingArguments(output_dir="out", num_train_epochs=20, per_device_train_batch_size=512, remove_unused_columns=False)
    trainer = TabularTrainer(model=model, args=args, train_dataset=train_ds, optimizers=(optimizer, None))
    trainer.train()


if __name__ == "__main__":
    main()
