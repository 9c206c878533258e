# expect: none
"""[TIP506] The same sweep started with `torch.distributed.run` (what torchrun runs): the supported launcher. Not a finding."""
import subprocess
import sys


def launch(config, gpus=4):
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        f"--nproc_per_node={gpus}",
        "train.py",
        "--config",
        config,
    ]
    subprocess.run(cmd, check=True)


if __name__ == "__main__":
    for name in ("small.yaml", "large.yaml"):
        launch(name)
