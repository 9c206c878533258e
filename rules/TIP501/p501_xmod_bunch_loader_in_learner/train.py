# expect: none
"""[TIP501] The script: builds the bunch, hands it to the learner, fits."""
from bunch import TextDataBunch
from learner import TextLearner
from models import build_classifier, load_splits


def main(epochs=4):
    train_set, val_set = load_splits("data/")
    bunch = TextDataBunch(train_set, val_set, batch_size=32)
    bunch.save("bunch.pkl")
    learner = TextLearner(bunch, build_classifier().cuda())
    learner.fit(epochs)


if __name__ == "__main__":
    main()
