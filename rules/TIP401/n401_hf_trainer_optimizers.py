# expect: none
"""[TIP401] HF Trainer given `optimizers=(optimizer, scheduler)` with a torch CosineAnnealingLR: the Trainer steps it (real-world pattern: transformers Trainer with custom optimizers)."""
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR
from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments

from imdb import load_imdb


def main():
    model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)
    train_ds, eval_ds = load_imdb()
    args = TrainingArguments(output_dir="out", num_train_epochs=2, per_device_train_batch_size=16, evaluation_strategy="epoch")
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    total_steps = 2 * len(train_ds) // 16
    scheduler = CosineAnnealingLR(optimizer, T_max=total_steps)
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=eval_ds, optimizers=(optimizer, scheduler))
    trainer.train()


if __name__ == "__main__":
    main()
