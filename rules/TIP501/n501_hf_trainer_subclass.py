# expect: none
"""[TIP501, TIP401] HF Trainer subclass overriding get_train_dataloader with its own DistributedSampler, and a torch scheduler handed in via optimizers=(...) (real-world pattern: transformers Trainer customisation)."""
import torch
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from transformers import AutoModelForCausalLM, Trainer, TrainingArguments

from sft_data import load_sft_dataset, data_collator


class ShardedTrainer(Trainer):
    def get_train_dataloader(self):
        sampler = DistributedSampler(self.train_dataset, seed=self.args.seed)
        return DataLoader(
            self.train_dataset, batch_size=self.args.per_device_train_batch_size, sampler=sampler, collate_fn=data_collator
        )


def main():
    model = AutoModelForCausalLM.from_pretrained("gpt2")
    args = TrainingArguments(output_dir="out", num_train_epochs=3, per_device_train_batch_size=8)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
    warmup = 500
    scheduler = LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup))
    trainer = ShardedTrainer(model=model, args=args, train_dataset=load_sft_dataset(), optimizers=(optimizer, scheduler))
    trainer.train()


if __name__ == "__main__":
    main()
