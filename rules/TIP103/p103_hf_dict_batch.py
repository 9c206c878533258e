"""[TIP103] Hugging Face model trained in native PyTorch: `model.to(device)`, but the `batch = {k: v.to(device) ...}` line is missing and `model(**batch)` gets CPU tensors (real-world pattern: the transformers "train in native PyTorch" tutorial)."""
import torch
from torch.optim import AdamW
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, get_scheduler

from yelp import tokenized_yelp

train_dataloader = DataLoader(tokenized_yelp("train"), shuffle=True, batch_size=8)
model = AutoModelForSequenceClassification.from_pretrained("bert-base-cased", num_labels=5)
optimizer = AdamW(model.parameters(), lr=5e-5)
num_epochs = 3
num_training_steps = num_epochs * len(train_dataloader)
lr_scheduler = get_scheduler(name="linear", optimizer=optimizer, num_warmup_steps=0, num_training_steps=num_training_steps)
device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
model.to(device)

model.train()
for epoch in range(num_epochs):
    for batch in train_dataloader:
        outputs = model(**batch)  # expect: TIP103[unsafe-fix]
        loss = outputs.loss
        loss.backward()
        optimizer.step()
        lr_scheduler.step()
        optimizer.zero_grad()
