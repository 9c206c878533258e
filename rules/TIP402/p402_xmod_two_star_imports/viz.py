# expect: none
"""[TIP402] viz.py: plotting helpers, star-imported beside fit_utils; it defines no `fit_epoch`."""
import matplotlib.pyplot as plt


def show_masks(images, masks, path):
    fig, axes = plt.subplots(1, 2)
    axes[0].imshow(images[0].permute(1, 2, 0))
    axes[1].imshow(masks[0, 0])
    fig.savefig(path)
