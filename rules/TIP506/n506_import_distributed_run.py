# expect: none
"""[TIP506] The same wrapper importing `torch.distributed.run` (torchrun's module) and calling its `main(argv)`: the supported launcher."""
from torch.distributed.run import main as run_main


def run(script, nproc):
    run_main([f"--nproc_per_node={nproc}", script])


if __name__ == "__main__":
    run("train.py", 8)
