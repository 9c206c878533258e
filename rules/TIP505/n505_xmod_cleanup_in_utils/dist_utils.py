# expect: none
"""[TIP505] As p505_trainer_class, but a utilities module owns both ends: init_distributed() sets the group up and cleanup() destroys it; the script calls both."""
import torch.distributed as dist


def init_distributed():
    dist.init_process_group("gloo")


def cleanup():
    dist.destroy_process_group()
