# expect: none
"""[TIP402] main.py: parses the arguments and runs the epochs through the Solver's methods; it builds none of the training objects itself (synthetic)."""
import argparse

from solver import Solver


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/data/fundus")
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--epochs", type=int, default=90)
    args = parser.parse_args()
    solver = Solver(args.data, args.lr)
    for epoch in range(args.epochs):
        solver.adjust_learning_rate()
        solver.train_epoch(epoch)
        solver.validate(epoch)


if __name__ == "__main__":
    main()
