"""[TIP506] A sweep script that starts each run with `subprocess.run([sys.executable, "-m", "torch.distributed.launch", ...])`: the deprecated launcher, which passes `--local_rank` in argv where torchrun sets LOCAL_RANK."""
import subprocess
import sys


def launch(config, gpus=4):
    cmd = [
        sys.executable,
        "-m",
        "torch.distributed.launch",
        f"--nproc_per_node={gpus}",
        "train.py",
        "--config",
        config,
    ]
    subprocess.run(cmd, check=True)  # expect: TIP506[no-fix]


if __name__ == "__main__":
    for name in ("small.yaml", "large.yaml"):
        launch(name)
