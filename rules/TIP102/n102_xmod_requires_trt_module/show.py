# expect: none
"""[TIP102] show.py: a visualisation script that requires trt_runner (a project module that requires TensorRT): it cannot start without CUDA either, so its `torch.device("cuda:0")` needs no check (real-world pattern: the TensorRT deploy folder of detection repos)."""
import argparse

import torch

from trt_runner import EngineRunner


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", default="model.trt")
    runner = EngineRunner(parser.parse_args().engine)
    images = torch.zeros(1, 3, 64, 64, device=torch.device("cuda:0"))
    print(runner(images).shape)


if __name__ == "__main__":
    main()
