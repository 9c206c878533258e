# expect: none
"""[TIP102] preview.py: a second entry that shows a few predictions of an untrained model; it chooses no device and never mentions CUDA, so it runs on any machine and reaches segdata's `.cuda()` calls there."""

import torch.nn as nn

from segdata import REGISTRY


def main():
    dataset = REGISTRY["streets"](size=4)
    model = nn.Conv2d(3, 5, 1)
    image, _ = dataset[0]
    print(dataset.inference(model, image[None]).argmax(1))


if __name__ == "__main__":
    main()
