# expect: none
"""[TIP501] A shuffling (default) DistributedSampler used only by a per-epoch evaluation loop with no backward/step: order does not matter (synthetic)."""
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from bench import CheckpointList, EvalSet, load_model


def main():
    dist.init_process_group("nccl")
    eval_set = EvalSet("/data/val")
    eval_sampler = DistributedSampler(eval_set)
    eval_loader = DataLoader(eval_set, batch_size=128, sampler=eval_sampler)
    for ckpt in CheckpointList("runs/exp1"):
        model = load_model(ckpt).cuda().eval()
        correct = torch.zeros(1, device="cuda")
        with torch.no_grad():
            for images, labels in eval_loader:
                correct += (model(images.cuda()).argmax(1) == labels.cuda()).sum()
        dist.all_reduce(correct)
        print(ckpt, correct.item())
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
