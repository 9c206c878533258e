"""[TIP503] tools/options.py: a parser factory of a helper module; the fine-tuning script that calls it starts a process group and never reads LOCAL_RANK, so under torchrun every rank gets the default (look-alike of a script that falls back to the environment)."""
import argparse


def build_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--local_rank", type=int, default=-1)  # expect: TIP503[safe-fix]
    return parser
