"""[TIP402] Gradient accumulation: `scheduler.step()` at the top of the batch loop, then `if (step + 1) % accum_steps: continue` before `optimizer.step()`. Moving the step after the optimizer step would also skip it on the accumulating batches (the schedule, sized in batches, would run accum_steps times slower): the fix is unsafe (real-world pattern: custom fine-tuning loops)."""
import torch
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader

from glue_data import GlueDataset
from text_models import RobertaClassifier


def main(epochs=3, accum_steps=4, warmup=500):
    loader = DataLoader(GlueDataset("mnli", "train"), batch_size=8, shuffle=True)
    model = RobertaClassifier(num_labels=3)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    scheduler = LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup))
    for epoch in range(epochs):
        model.train()
        for step, batch in enumerate(loader):
            scheduler.step()  # expect: TIP402[unsafe-fix]
            loss = model(**batch).loss / accum_steps
            loss.backward()
            if (step + 1) % accum_steps:
                continue
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad()


if __name__ == "__main__":
    main()
