"""[TIP401] DeepSpeed gets the model and optimizer but not the scheduler built beside them; nothing steps that scheduler (real-world pattern: DeepSpeed ports of plain training scripts)."""
import deepspeed
import torch
from torch.optim.lr_scheduler import OneCycleLR

from lm import OpenWebText, GPT2Small, parse_args


def main():
    args = parse_args()
    model = GPT2Small()
    optimizer = torch.optim.AdamW(model.parameters(), lr=6e-4, betas=(0.9, 0.95), weight_decay=0.1)
    scheduler = OneCycleLR(optimizer, max_lr=6e-4, total_steps=args.max_steps, pct_start=0.01)  # expect: TIP401[no-fix]
    engine, optimizer, loader, _ = deepspeed.initialize(
        args=args, model=model, optimizer=optimizer, training_data=OpenWebText("train")
    )
    for epoch in range(args.epochs):
        for tokens in loader:
            loss = engine(tokens.to(engine.device))
            engine.backward(loss)
            engine.step()


if __name__ == "__main__":
    main()
