# expect: none
"""[TIP102] Formatted CUDA device names that place nothing: a log line and a comparison (look-alike of `torch.device("cuda:{}".format(rank))`)."""
import torch

rank = 0
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("would use cuda:{}".format(rank), "on", device)
on_rank_gpu = str(device) == f"cuda:{rank}"
print(on_rank_gpu)
