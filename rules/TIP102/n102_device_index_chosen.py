# expect: none
"""[TIP102] An inference wrapper whose `device` is a GPU index with -1 for the CPU (the default): the model moves to `cuda:N` only behind `if self.device >= 0`, and the batch only when `device_id != -1`, so a machine without CUDA never runs either placement."""
import torch


class TextClassifier:
    def __init__(self, model, tokenizer, device: int = -1):
        self.model = model
        self.tokenizer = tokenizer
        self.device = device
        if self.device >= 0 and torch.__version__ >= "1.0":
            self.model = self.model.to("cuda:{}".format(self.device))

    def __call__(self, texts, device_id=-1):
        batch = self.tokenizer(texts)
        if device_id != -1:
            batch = batch.cuda(device_id)
        with torch.no_grad():
            return self.model(batch).argmax(-1)
