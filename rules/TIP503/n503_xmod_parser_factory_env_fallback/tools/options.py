# expect: none
"""[TIP503] tools/options.py: the same parser factory; the script that calls it takes the local rank from LOCAL_RANK when torchrun sets it, so the option is only a fallback (look-alike of a script that reads the option alone)."""
import argparse


def build_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--local_rank", type=int, default=-1)
    return parser
