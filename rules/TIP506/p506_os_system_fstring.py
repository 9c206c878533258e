"""[TIP506] A notebook-style driver that shells out with `os.system(f"python -m torch.distributed.launch ...")`: the deprecated launcher, written into an f-string."""
import os

NUM_GPUS = 2

for seed in range(3):
    os.system(  # expect: TIP506[no-fix]
        f"python -m torch.distributed.launch --nproc_per_node={NUM_GPUS} --master_port={29500 + seed} "
        f"train.py --seed {seed}"
    )
