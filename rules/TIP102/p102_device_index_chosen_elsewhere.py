"""[TIP102] A look-alike of the GPU-index wrapper: the guard on `self.device >= 0` picks the model's place, but the batch goes to `cuda:0` outside it, and a guard on a count (`self.batch_size >= 0`) is about no device at all."""
import torch


class TextClassifier:
    def __init__(self, model, tokenizer, device: int = -1, batch_size: int = 8):
        self.model = model
        self.tokenizer = tokenizer
        self.device = device
        self.batch_size = batch_size
        if self.device >= 0:
            self.model = self.model.to("cuda:{}".format(self.device))

    def __call__(self, texts):
        batch = self.tokenizer(texts).to("cuda:0")  # expect: TIP102[no-fix]
        if self.batch_size >= 0:
            batch = batch.cuda()  # expect: TIP102[unsafe-fix]
        with torch.no_grad():
            return self.model(batch).argmax(-1)
