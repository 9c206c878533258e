"""[TIP401] A trainer hands its model, optimizer, loader and scheduler to `self.accelerator.prepare` and gets them back in the same order; the prepared scheduler is never stepped (accelerate does not step it for you) (real-world pattern: accelerate-based trainers)."""
import torch
from accelerate import Accelerator
from torch.optim.lr_scheduler import LinearLR
from torch.utils.data import DataLoader

from summarization import XSum, T5Small, collate


class Seq2SeqTrainer:
    def __init__(self, epochs=3):
        self.accelerator = Accelerator(gradient_accumulation_steps=2)
        self.epochs = epochs
        model = T5Small()
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
        scheduler = LinearLR(optimizer, start_factor=1.0, end_factor=0.0, total_iters=epochs)  # expect: TIP401[unsafe-fix]
        loader = DataLoader(XSum("train"), batch_size=16, shuffle=True, collate_fn=collate)
        self.model, self.optimizer, self.loader, self.scheduler = self.accelerator.prepare(model, optimizer, loader, scheduler)

    def fit(self):
        for epoch in range(self.epochs):
            self.model.train()
            for batch in self.loader:
                with self.accelerator.accumulate(self.model):
                    loss = self.model(**batch).loss
                    self.accelerator.backward(loss)
                    self.optimizer.step()
                    self.optimizer.zero_grad()


if __name__ == "__main__":
    Seq2SeqTrainer().fit()
