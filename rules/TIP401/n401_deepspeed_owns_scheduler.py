# expect: none
"""[TIP401, TIP402] The scheduler goes to `deepspeed.initialize(lr_scheduler=...)`: the engine steps it inside `engine.step()`, so the script never does (real-world pattern: DeepSpeed training scripts)."""
import deepspeed
import torch
from torch.optim.lr_scheduler import OneCycleLR

from lm import OpenWebText, GPT2Small, parse_args


def main():
    args = parse_args()
    model = GPT2Small()
    optimizer = torch.optim.AdamW(model.parameters(), lr=6e-4, betas=(0.9, 0.95), weight_decay=0.1)
    scheduler = OneCycleLR(optimizer, max_lr=6e-4, total_steps=args.max_steps, pct_start=0.01)
    engine, optimizer, loader, scheduler = deepspeed.initialize(
        args=args, model=model, optimizer=optimizer, lr_scheduler=scheduler, training_data=OpenWebText("train")
    )
    for epoch in range(args.epochs):
        for tokens in loader:
            loss = engine(tokens.to(engine.device))
            engine.backward(loss)
            engine.step()


if __name__ == "__main__":
    main()
