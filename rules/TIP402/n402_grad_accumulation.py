# expect: none
"""[TIP402, TIP404] Gradient accumulation: optimizer.step() then the per-batch OneCycleLR step, both under `if (step + 1) % accum_steps == 0` (real-world pattern: HF-style custom loops)."""
import torch
from torch.optim.lr_scheduler import OneCycleLR
from torch.utils.data import DataLoader

from squad import SquadDataset
from qa_models import BertQA


def main(epochs=2, accum_steps=8):
    loader = DataLoader(SquadDataset("train"), batch_size=4, shuffle=True)
    model = BertQA().cuda()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-5)
    scheduler = OneCycleLR(optimizer, max_lr=3e-5, total_steps=epochs * len(loader) // accum_steps + 1)
    for epoch in range(epochs):
        for step, batch in enumerate(loader):
            loss = model(**batch).loss / accum_steps
            loss.backward()
            if (step + 1) % accum_steps == 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()


if __name__ == "__main__":
    main()
