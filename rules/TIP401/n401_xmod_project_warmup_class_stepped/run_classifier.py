# expect: none
"""[TIP401, TIP402] run_classifier.py: the WarmupLinearSchedule of schedules.py is stepped after every optimizer step, as a per-step warmup should be (real-world pattern: hand-written BERT fine-tuning)."""
import torch
from torch.utils.data import DataLoader, RandomSampler

from schedules import WarmupLinearSchedule
from glue_data import load_examples, BertClassifier


def train(args):
    dataset = load_examples(args.task, "train")
    loader = DataLoader(dataset, sampler=RandomSampler(dataset), batch_size=args.train_batch_size)
    model = BertClassifier.from_pretrained(args.model_name).to(args.device)
    t_total = len(loader) * args.num_train_epochs
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate, eps=1e-8)
    scheduler = WarmupLinearSchedule(optimizer, warmup_steps=args.warmup_steps, t_total=t_total)
    model.train()
    for _ in range(int(args.num_train_epochs)):
        for batch in loader:
            outputs = model(**{k: v.to(args.device) for k, v in batch.items()})
            outputs[0].backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            model.zero_grad()


if __name__ == "__main__":
    from glue_data import parse_args

    train(parse_args())
