# expect: none
"""[TIP102] segdata.py: a dataset module whose class moves its class weights and runs sliding-window inference with `.cuda()`; the only linted file that imports it is train.py, an entry that cannot run without GPUs, so nothing here runs on a machine without CUDA (real-world pattern: the datasets package of segmentation repos, reached through a name registry)."""

import torch
import torch.nn.functional as F
from torch.utils.data import Dataset


class StreetScenes(Dataset):
    def __init__(self, size=64, classes=5):
        self.size = size
        self.classes = classes
        self.class_weights = torch.ones(classes).cuda()

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        return torch.randn(3, 32, 32), torch.randint(0, self.classes, (32, 32))

    def inference(self, model, image):
        logits = model(image.cuda())
        return F.softmax(logits, dim=1)


REGISTRY = {"streets": StreetScenes}
