# expect: none
"""[TIP102] launch.py: GPU-only by design (`torch.cuda.set_device` at the top of main()), with no placement of its own: it is read for its call of worker.run()."""
import os

import torch.nn as nn

from worker import run


def main():
    import torch

    torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    run(nn.Linear(4, 1).to(torch.cuda.current_device()), 3)


if __name__ == "__main__":
    main()
