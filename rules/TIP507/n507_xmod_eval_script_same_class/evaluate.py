# expect: none
"""[TIP507] Another script builds a `Classifier` and wraps it in DataParallel to score a large set: it is never trained here (the optimizer of train.py trains train.py's model, in another program). Not a finding."""
import torch

from model import Classifier


@torch.no_grad()
def main():
    model = Classifier()
    model.load_state_dict(torch.load("classifier.pt"))
    model = torch.nn.DataParallel(model.cuda()).eval()
    scores = [model(torch.randn(4096, 128).cuda()).softmax(1) for _ in range(10)]
    print(torch.cat(scores).mean(0))


if __name__ == "__main__":
    main()
