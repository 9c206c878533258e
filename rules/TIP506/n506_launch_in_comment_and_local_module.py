# expect: none
"""[TIP506] A project module of its own named `launch` (`from .launch import spawn`) and the old launcher named only in a comment and a log line: nothing runs `torch.distributed.launch`."""
import logging

from .launch import spawn

log = logging.getLogger(__name__)


def main():
    # Formerly: python -m torch.distributed.launch --nproc_per_node=8 train.py
    log.info("starting with torchrun instead of torch.distributed.launch")
    spawn("train.py", nproc=8)
