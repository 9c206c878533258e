"""[TIP102] The file mentions NCCL in its distributed branch, but the shared path below creates a tensor with a hard-coded `device="cuda"`: the NCCL branch governs itself only, and the single-process path supports the CPU (real-world pattern: "launch with torchrun or plain python" scripts)."""
import argparse
import os

import torch
import torch.distributed as dist

parser = argparse.ArgumentParser()
parser.add_argument("--distributed", action="store_true")
args = parser.parse_args()

if args.distributed:
    dist.init_process_group("nccl")
    torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    device = torch.device("cuda", int(os.environ["LOCAL_RANK"]))
else:
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

weights = torch.randn(10, 10, device=device)
noise = torch.zeros(10, device="cuda")  # expect: TIP102[no-fix]
print((weights @ noise.to(device)).sum().item())
