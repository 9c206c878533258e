# expect: none
"""[TIP501] The script: builds the bunch, hands it to the learner, fits."""
import torch.distributed as dist

from bunch import TextDataBunch
from learner import TextLearner
from models import build_classifier, load_splits


def main(epochs=4):
    train_set, val_set = load_splits("data/")
    bunch = TextDataBunch(train_set, val_set, batch_size=32)
    bunch.save("bunch.pkl")
    learner = TextLearner(bunch, build_classifier().cuda())
    learner.fit(epochs)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
