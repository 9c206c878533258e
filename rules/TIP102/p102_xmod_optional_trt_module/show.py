"""[TIP102] show.py: a look-alike of a TensorRT-only script: the project module it imports only may use TensorRT, so the script starts on a machine without CUDA and its `torch.device("cuda:0")` crashes there."""
import argparse

import torch

from trt_runner import EngineRunner


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", default="model.trt")
    runner = EngineRunner(parser.parse_args().engine)
    images = torch.zeros(1, 3, 64, 64, device=torch.device("cuda:0"))  # expect: TIP102[no-fix]
    print(runner(images).shape)


if __name__ == "__main__":
    main()
