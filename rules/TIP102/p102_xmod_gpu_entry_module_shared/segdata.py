"""[TIP102] segdata.py: the same kind of dataset module, but two entry scripts import it: a GPU-only trainer and a plain preview script that runs anywhere. Through the preview, its `.cuda()` calls run on a machine without CUDA."""

import torch
import torch.nn.functional as F
from torch.utils.data import Dataset


class StreetScenes(Dataset):
    def __init__(self, size=64, classes=5):
        self.size = size
        self.classes = classes
        self.class_weights = torch.ones(classes).cuda()  # expect: TIP102[unsafe-fix]

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        return torch.randn(3, 32, 32), torch.randint(0, self.classes, (32, 32))

    def inference(self, model, image):
        logits = model(image.cuda())  # expect: TIP102[unsafe-fix]
        return F.softmax(logits, dim=1)


REGISTRY = {"streets": StreetScenes}
