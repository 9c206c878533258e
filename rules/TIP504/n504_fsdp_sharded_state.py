# expect: none
"""[TIP504] An FSDP script saves its sharded state dict with torch.save on every rank: each rank holds a different shard and must write it (to a per-rank name here), so no rank check belongs there."""
import torch
import torch.distributed as dist
from torch.distributed.fsdp import FullyShardedDataParallel as FSDP
from torch.distributed.fsdp import StateDictType


def main():
    dist.init_process_group("nccl")
    model = FSDP(torch.nn.Linear(1024, 1024).cuda())
    optimizer = torch.optim.AdamW(model.parameters())
    for step in range(100):
        loss = model(torch.randn(8, 1024, device="cuda")).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with FSDP.state_dict_type(model, StateDictType.SHARDED_STATE_DICT):
        state = model.state_dict()
    torch.save(state, "shard.pt")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
