# expect: none
"""[TIP102] run.py: the launcher. Its `main()` calls `engine.train_model()` as a statement of its own, and that function wraps the model in DistributedDataParallel over the process's GPU: the launcher is a GPU-only entry script. (It logs the visible GPUs, which is what has TIP102 read it: a launcher it does not read is unknown, and keeps what it reaches reported.)"""
import argparse
import os

import torch

import engine


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--arch", default="small")
    print(torch.cuda.device_count(), "GPUs visible:", os.environ.get("CUDA_VISIBLE_DEVICES", "all"))
    engine.train_model(parser.parse_args().arch)


if __name__ == "__main__":
    main()
