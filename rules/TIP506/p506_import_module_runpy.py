"""[TIP506] Two uses in one helper module: `from torch.distributed import launch` and `runpy.run_module("torch.distributed.launch", ...)`, both the deprecated launcher."""
import runpy
import sys

from torch.distributed import launch  # expect: TIP506[no-fix]


def start(nproc, script):
    sys.argv = ["torch.distributed.launch", f"--nproc_per_node={nproc}", "--use_env", script]
    runpy.run_module("torch.distributed.launch", run_name="__main__")  # expect: TIP506[no-fix]


def version():
    return getattr(launch, "__doc__", "")
