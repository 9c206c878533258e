"""[TIP506] A wrapper that imports `torch.distributed.launch` and calls its `main()` with a built argv: the deprecated launcher, driven from Python."""
import sys

from torch.distributed.launch import main as launch_main  # expect: TIP506[no-fix]


def run(script, nproc):
    sys.argv = ["launch", f"--nproc_per_node={nproc}", script]
    launch_main()


if __name__ == "__main__":
    run("train.py", 8)
