"""Stand-ins for torchvision's dataset classes under `tipcheck verify`: nothing is read from disk
and nothing is downloaded.

`install(state)` replaces each class of SPECS in `torchvision.datasets` (and in the module that
defines it) with a `Dataset` that takes the same arguments (bound with the real class's
signature: `root`, `train`, `split`, `transform`, `target_transform`, `download`, ...) and holds
in-memory data of the same sample shape, image mode and number of classes: PIL images, as the
real classes give to their `transform`, and int targets. Its length is the real split's, capped at
`limit`. It has the attributes scripts read: `data` and `targets` (the MNIST family: uint8 and
int64 tensors; CIFAR: a uint8 array N x H x W x C and a list), `labels` (SVHN, STL10: an array),
`classes`, `class_to_idx`, and for folder datasets `samples`, `imgs` and `targets` (with made-up
paths; the images are made on demand). `FakeData` is left as it is: it is in memory already.
Each stand-in built is noted in `state["standins"]`.

Runs inside the instrumented process: torch, torchvision, numpy and PIL are imported when used.
"""

from __future__ import annotations

import inspect
import os
import sys
from typing import Any, Dict, Optional

#: name -> (height, width, PIL mode, number of classes, {split: length}, layout)
#: layout: "mnist" (data tensor N x H x W), "cifar" (array N x H x W x C), "svhn" (array
#: N x C x H x W, `labels`), "folder" (images made on demand, `samples`).
SPECS: Dict[str, tuple] = {
    "MNIST": (28, 28, "L", 10, {"train": 60000, "test": 10000}, "mnist"),
    "FashionMNIST": (28, 28, "L", 10, {"train": 60000, "test": 10000}, "mnist"),
    "KMNIST": (28, 28, "L", 10, {"train": 60000, "test": 10000}, "mnist"),
    "QMNIST": (28, 28, "L", 10, {"train": 60000, "test": 60000}, "mnist"),
    "EMNIST": (28, 28, "L", 47, {"train": 112800, "test": 18800}, "mnist"),
    "CIFAR10": (32, 32, "RGB", 10, {"train": 50000, "test": 10000}, "cifar"),
    "CIFAR100": (32, 32, "RGB", 100, {"train": 50000, "test": 10000}, "cifar"),
    "SVHN": (32, 32, "RGB", 10, {"train": 73257, "test": 26032, "extra": 531131}, "svhn"),
    "STL10": (96, 96, "RGB", 10, {"train": 5000, "test": 8000, "unlabeled": 100000}, "svhn"),
    "ImageFolder": (256, 256, "RGB", 10, {"train": 10000}, "folder"),
    "DatasetFolder": (256, 256, "RGB", 10, {"train": 10000}, "folder"),
    "ImageNet": (256, 256, "RGB", 1000, {"train": 1281167, "val": 50000}, "folder"),
    "Caltech101": (256, 256, "RGB", 101, {"train": 8677}, "folder"),
    "Caltech256": (256, 256, "RGB", 257, {"train": 30607}, "folder"),
    "Flowers102": (256, 256, "RGB", 102, {"train": 1020, "val": 1020, "test": 6149}, "folder"),
    "Food101": (256, 256, "RGB", 101, {"train": 75750, "test": 25250}, "folder"),
    "OxfordIIITPet": (256, 256, "RGB", 37, {"trainval": 3680, "test": 3669}, "folder"),
    "StanfordCars": (256, 256, "RGB", 196, {"train": 8144, "test": 8041}, "folder"),
    "FGVCAircraft": (256, 256, "RGB", 100, {"train": 3334, "val": 3333, "trainval": 6667, "test": 3333}, "folder"),
    "DTD": (256, 256, "RGB", 47, {"train": 1880, "val": 1880, "test": 1880}, "folder"),
    "GTSRB": (48, 48, "RGB", 43, {"train": 26640, "test": 12630}, "folder"),
    "EuroSAT": (64, 64, "RGB", 10, {"train": 27000}, "folder"),
    "Country211": (256, 256, "RGB", 211, {"train": 31650, "valid": 10550, "test": 21100}, "folder"),
    "Places365": (256, 256, "RGB", 365, {"train-standard": 1803460, "val": 36500}, "folder"),
}
#: EMNIST's number of classes per split (its `letters` targets run from 1 to 26).
EMNIST_CLASSES = {"byclass": 62, "bymerge": 47, "balanced": 47, "letters": 26, "digits": 10, "mnist": 10}


def _split(name: str, bound: Dict[str, Any], splits: Dict[str, int]) -> str:
    if "split" in bound and isinstance(bound["split"], str):
        return bound["split"]
    if "train" in bound:
        return "train" if bound["train"] else ("test" if "test" in splits else next(iter(splits)))
    return next(iter(splits))


def _classes(name: str, bound: Dict[str, Any], default: int, layout: str) -> list:
    if name == "EMNIST":
        count = EMNIST_CLASSES.get(bound.get("split"), default)
        return [f"class{i}" for i in range(count)]
    if layout == "folder":
        root = bound.get("root")
        try:  # a real folder tree: its class folders
            found = sorted(e.name for e in os.scandir(os.fspath(root)) if e.is_dir())
        except (OSError, TypeError):
            found = []
        if found and name in ("ImageFolder", "DatasetFolder"):
            return found
    return [f"class{i}" for i in range(default)]


def make_standin(name: str, real: type, limit: int, state: Optional[Dict[str, Any]] = None) -> type:
    """A stand-in class for torchvision's `real` dataset class `name` (see the module's doc)."""
    import numpy
    import torch
    from torch.utils.data import Dataset

    height, width, mode, default_classes, splits, layout = SPECS[name]
    try:
        signature = inspect.signature(real.__init__)
    except (TypeError, ValueError):
        signature = None

    class StandIn(Dataset):
        def __init__(self, *args, **kwargs):
            bound: Dict[str, Any] = {}
            if signature is not None:
                try:
                    arguments = signature.bind(None, *args, **kwargs)
                    arguments.apply_defaults()
                    bound = dict(arguments.arguments)
                    bound.update(bound.pop("kwargs", None) or {})
                except TypeError:
                    bound = dict(kwargs)
            self.root = bound.get("root", args[0] if args else None)
            self.transform = bound.get("transform")
            self.target_transform = bound.get("target_transform")
            self.split = _split(name, bound, splits)
            self.train = self.split in ("train", "trainval", "train-standard")
            self.classes = _classes(name, bound, default_classes, layout)
            self.class_to_idx = {c: i for i, c in enumerate(self.classes)}
            length = min(splits.get(self.split, next(iter(splits.values()))), limit)
            offset = 1 if name == "EMNIST" and bound.get("split") == "letters" else 0
            labels = [(i * 7 + 3) % len(self.classes) + offset for i in range(length)]
            if name == "STL10" and self.split == "unlabeled":
                labels = [-1] * length
            self._length = length
            self._seed = sum(map(ord, f"{name}/{self.split}"))
            rng = numpy.random.RandomState(self._seed)
            channels = 1 if mode == "L" else 3
            if layout == "mnist":
                self.data = torch.from_numpy(rng.randint(0, 256, (length, height, width), dtype=numpy.uint8))
                self.targets = torch.tensor(labels, dtype=torch.int64)
                # The MNIST family's old names, which torchvision still answers (deprecated).
                self.train_data = self.test_data = self.data
                self.train_labels = self.test_labels = self.targets
            elif layout == "cifar":
                self.data = rng.randint(0, 256, (length, height, width, channels), dtype=numpy.uint8)
                self.targets = labels
            elif layout == "svhn":
                self.data = rng.randint(0, 256, (length, channels, height, width), dtype=numpy.uint8)
                self.labels = numpy.asarray(labels, dtype=numpy.int64)
            else:
                self.samples = [(f"<stand-in>/{self.classes[t]}/{i}.png", t) for i, t in enumerate(labels)]
                self.imgs = self.samples
                self.targets = labels
            self._labels = labels
            if state is not None:
                state["standins"].append({"dataset": name, "split": self.split, "length": length})

        def __len__(self):
            return self._length

        def _image(self, index: int):
            from PIL import Image

            if layout == "mnist":
                return Image.fromarray(self.data[index].numpy(), mode="L")
            if layout == "cifar":
                return Image.fromarray(self.data[index])
            if layout == "svhn":
                return Image.fromarray(numpy.transpose(self.data[index], (1, 2, 0)))
            rng = numpy.random.RandomState((self._seed * 1_000_003 + index) % (2**32))
            pixels = rng.randint(0, 256, (height, width, 3 if mode == "RGB" else 1), dtype=numpy.uint8)
            return Image.fromarray(pixels if mode == "RGB" else pixels[:, :, 0])

        def __getitem__(self, index):
            index = int(index)
            if index < 0:
                index += self._length
            if not 0 <= index < self._length:
                raise IndexError(f"index {index} out of range for {len(self)} items")
            image, target = self._image(index), self._labels[index]
            if self.transform is not None:
                image = self.transform(image)
            if self.target_transform is not None:
                target = self.target_transform(target)
            return image, target

        def __repr__(self):
            return f"{name} stand-in (tipcheck verify): {self._length} items, split {self.split}"

    StandIn.__name__ = StandIn.__qualname__ = name
    StandIn.__module__ = real.__module__
    StandIn._tipcheck_standin_for = real
    return StandIn


def install(state: Dict[str, Any], limit: int = 1024) -> None:
    """Stand in for torchvision's datasets now if torchvision.datasets is imported, else when it is."""
    if "torchvision.datasets" in sys.modules:
        patch(sys.modules["torchvision.datasets"], state, limit)
    else:
        from tipcheck.harness.record_weights import _AfterImport

        sys.meta_path.insert(0, _AfterImport("torchvision.datasets", lambda module: patch(module, state, limit)))


def patch(datasets, state: Dict[str, Any], limit: int) -> None:
    for name in SPECS:
        real = getattr(datasets, name, None)
        if real is None or getattr(real, "_tipcheck_standin_for", None) is not None:
            continue
        standin = make_standin(name, real, limit, state)
        setattr(datasets, name, standin)
        home = sys.modules.get(real.__module__)
        if home is not None and getattr(home, name, None) is real:
            setattr(home, name, standin)
