# expect: none
"""[TIP503] Look-alike of p503_required_option: an evaluation script that accepts `--local_rank`
for compatibility with the training launcher but starts no process group; it runs in one process."""
import argparse

import torch


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument("--local_rank", type=int, required=True)
    parser.add_argument("--batch-size", type=int, default=32)
    return parser.parse_args()


def main():
    args = parse()
    torch.cuda.set_device(args.local_rank)
    model = torch.nn.Linear(4, 4).cuda()
    print(model(torch.randn(args.batch_size, 4).cuda()).mean())


if __name__ == "__main__":
    main()
