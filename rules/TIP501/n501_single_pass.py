# expect: none
"""[TIP501] Single-pass fine-tuning over a DistributedSampler loader (one epoch, no epoch loop): set_epoch would change nothing (synthetic)."""
import os
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from tasks import InstructionSet
from lm import load_pretrained

dist.init_process_group("nccl")
torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
dataset = InstructionSet("/data/sft.jsonl")
sampler = DistributedSampler(dataset, seed=42)
loader = DataLoader(dataset, batch_size=4, sampler=sampler)
model = torch.nn.parallel.DistributedDataParallel(load_pretrained("llm-1b").cuda())
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)

for input_ids, labels in loader:
    loss = model(input_ids.cuda(), labels=labels.cuda())
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
dist.destroy_process_group()
