"""A generated training project for the editor-server benchmark (benchmarks/bench_server.py).

    generate(root, files=50, train_lines=1000) -> the path of the large training script

The shapes are those of real training code bases (timm's, torchvision's references, DeiT, the
Lightning-free research repos of the real-world corpus): a ``train.py`` of argument parsing, model
blocks, a project ``Dataset``, meters, a train and an evaluation loop, DDP setup, a scheduler and
checkpoints; packages ``models/``, ``data/`` and ``utils/`` that it imports; and scripts beside it
(fine-tuning, evaluation, export) that import the same packages. Several rules fire, across files:
the sampler built in ``data/loader.py`` is iterated in ``train.py``'s epoch loop.
"""

from __future__ import annotations

import os
from typing import List

HEADER = '''\
"""Training script: {title}."""
import argparse
import json
import math
import os
import random
import time
from collections import OrderedDict, defaultdict

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from data.loader import build_train_loader, build_val_loader
from models.factory import create_model
from utils.checkpoint import load_checkpoint, save_checkpoint
from utils.dist import get_rank, get_world_size, is_main_process
from utils.meters import AverageMeter, accuracy
'''

ARG = '    parser.add_argument("--{name}", type={kind}, default={default}, help="{name} ({index})")\n'

BLOCK = '''

class {name}(nn.Module):
    """A residual block with {width} channels."""

    def __init__(self, in_channels, out_channels={width}, stride=1, drop=0.{index}):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.drop = nn.Dropout(drop)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.drop(self.bn2(self.conv2(out)))
        out = out + self.shortcut(x)
        return F.relu(out)
'''

HELPER = '''

def {name}(values, scale={index}, eps=1e-6):
    """Summarise a list of metric values ({index})."""
    if not values:
        return {{"mean": 0.0, "std": 0.0, "max": 0.0}}
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / max(1, len(values) - 1)
    result = {{"mean": mean * scale, "std": math.sqrt(var + eps), "max": max(values)}}
    for key, value in sorted(result.items()):
        if isinstance(value, float) and math.isnan(value):
            result[key] = 0.0
    return result
'''

DATASET = '''

class TrainingSet(Dataset):
    """Images listed in a JSON index, with labels."""

    def __init__(self, root, index_file, transform=None, limit=None):
        self.root = root
        with open(os.path.join(root, index_file)) as handle:
            self.items = json.load(handle)
        if limit is not None:
            self.items = self.items[:limit]
        self.transform = transform
        self.classes = sorted({item["label"] for item in self.items})
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        item = self.items[index]
        image = np.load(os.path.join(self.root, item["path"]))
        tensor = torch.from_numpy(image).float().permute(2, 0, 1) / 255.0
        if self.transform is not None:
            tensor = self.transform(tensor)
        return tensor, self.class_to_idx[item["label"]]
'''

LOOPS = """

def train_one_epoch(model, loader, criterion, optimizer, epoch, args, scaler=None):
    model.train()
    losses = AverageMeter("loss")
    top1 = AverageMeter("acc@1")
    start = time.time()
    for step, (images, targets) in enumerate(loader):
        images = images.cuda(non_blocking=True)
        targets = targets.cuda(non_blocking=True)
        with torch.autocast("cuda", enabled=args.amp):
            output = model(images)
            loss = criterion(output, targets)
        optimizer.zero_grad(set_to_none=True)
        if scaler is not None:
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
        else:
            loss.backward()
            if args.clip_grad > 0:
                nn.utils.clip_grad_norm_(model.parameters(), args.clip_grad)
            optimizer.step()
        acc1, = accuracy(output, targets, topk=(1,))
        losses.update(loss.item(), images.size(0))
        top1.update(acc1.item(), images.size(0))
        if step % args.print_freq == 0 and is_main_process():
            elapsed = time.time() - start
            print(f"epoch {epoch} step {step}/{len(loader)} loss {losses.avg:.4f} acc {top1.avg:.2f} ({elapsed:.1f}s)")
    return {"loss": losses.avg, "acc1": top1.avg}


@torch.no_grad()
def evaluate(model, loader, criterion):
    model.eval()
    losses = AverageMeter("loss")
    top1 = AverageMeter("acc@1")
    for images, targets in loader:
        images = images.cuda(non_blocking=True)
        targets = targets.cuda(non_blocking=True)
        output = model(images)
        loss = criterion(output, targets)
        acc1, = accuracy(output, targets, topk=(1,))
        losses.update(loss.item(), images.size(0))
        top1.update(acc1.item(), images.size(0))
    return {"loss": losses.avg, "acc1": top1.avg}
"""

MAIN = """

def main():
    args = get_args_parser().parse_args()
    distributed = "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1
    if distributed:
        dist.init_process_group("nccl")
        torch.cuda.set_device(int(os.environ["LOCAL_RANK"]))
    random.seed(args.seed + get_rank())
    torch.manual_seed(args.seed + get_rank())
    train_loader = build_train_loader(args)
    val_loader = build_val_loader(args)
    model = create_model(args.model, num_classes=args.num_classes).cuda()
    if distributed:
        model = nn.parallel.DistributedDataParallel(model, device_ids=[int(os.environ["LOCAL_RANK"])])
    criterion = nn.CrossEntropyLoss(label_smoothing=args.smoothing)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum, weight_decay=args.weight_decay)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    scaler = torch.cuda.amp.GradScaler() if args.amp else None
    start_epoch = 0
    if args.resume:
        start_epoch = load_checkpoint(args.resume, model, optimizer, scheduler)
    best = 0.0
    history = defaultdict(list)
    for epoch in range(start_epoch, args.epochs):
        stats = train_one_epoch(model, train_loader, criterion, optimizer, epoch, args, scaler)
        scheduler.step()
        result = evaluate(model, val_loader, criterion)
        for key, value in stats.items():
            history[key].append(value)
        if is_main_process():
            print(json.dumps({"epoch": epoch, **stats, **{"val_" + k: v for k, v in result.items()}}))
            if result["acc1"] > best:
                best = result["acc1"]
                save_checkpoint(os.path.join(args.output_dir, "best.pth"), model, optimizer, scheduler, epoch)
    if distributed:
        dist.destroy_process_group()
    print(f"best acc@1 {best:.2f} over {get_world_size()} processes")


if __name__ == "__main__":
    main()
"""


def _args(count: int) -> str:
    kinds = (("int", "{}"), ("float", "0.{}"), ("str", '"value{}"'))
    lines = ["\n\ndef get_args_parser():\n", '    parser = argparse.ArgumentParser("training", add_help=True)\n']
    fixed = [
        ("model", "str", '"resnet50"'),
        ("epochs", "int", "90"),
        ("lr", "float", "0.1"),
        ("momentum", "float", "0.9"),
        ("weight-decay", "float", "1e-4"),
        ("smoothing", "float", "0.1"),
        ("num-classes", "int", "1000"),
        ("clip-grad", "float", "0.0"),
        ("print-freq", "int", "50"),
        ("seed", "int", "0"),
        ("resume", "str", '""'),
        ("output-dir", "str", '"out"'),
    ]
    for index, (name, kind, default) in enumerate(fixed):
        lines.append(ARG.format(name=name, kind=kind, default=default, index=index))
    lines.append('    parser.add_argument("--amp", action="store_true")\n')
    for index in range(count):
        kind, default = kinds[index % 3]
        lines.append(ARG.format(name=f"option-{index}", kind=kind, default=default.format(index), index=index))
    lines.append("    return parser\n")
    return "".join(lines)


def training_script(lines: int) -> str:
    """A training script of about ``lines`` lines (padded with model blocks and helpers)."""
    parts = [HEADER.format(title="image classification"), _args(30), DATASET]
    fixed = len("".join(parts + [LOOPS, MAIN]).splitlines())
    block_lines = len(BLOCK.format(name="B", width=1, index=1).splitlines())
    helper_lines = len(HELPER.format(name="h", index=1).splitlines())
    index = 0
    while fixed < lines - max(block_lines, helper_lines):
        if index % 2:
            parts.append(HELPER.format(name=f"summarise_{index}", index=index))
            fixed += helper_lines
        else:
            parts.append(BLOCK.format(name=f"Block{index}", width=32 + index, index=index % 10))
            fixed += block_lines
        index += 1
    parts += [LOOPS, MAIN]
    return "".join(parts)


LOADER = '''\
"""The project's loaders."""
import torch
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler

from data.datasets import ImageIndex
from data.transforms import train_transform, val_transform


def build_train_loader(args):
    dataset = ImageIndex(args.data, "train.json", transform=train_transform(args))
    sampler = DistributedSampler(dataset, shuffle=True) if torch.distributed.is_initialized() else None
    return DataLoader(
        dataset, batch_size=args.batch_size, sampler=sampler, shuffle=sampler is None, num_workers=args.workers, drop_last=True
    )


def build_val_loader(args):
    dataset = ImageIndex(args.data, "val.json", transform=val_transform(args))
    return DataLoader(dataset, batch_size=args.batch_size, shuffle=False, num_workers=args.workers)
'''

DATASETS = '''\
"""Datasets read from a JSON index."""
import json
import os

import numpy as np
import torch
from torch.utils.data import Dataset


class ImageIndex(Dataset):
    def __init__(self, root, index_file, transform=None):
        self.root = root
        with open(os.path.join(root, index_file)) as handle:
            self.items = json.load(handle)
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, index):
        item = self.items[index]
        image = torch.from_numpy(np.load(os.path.join(self.root, item["path"]))).float()
        if self.transform is not None:
            image = self.transform(image)
        return image, item["label"]
'''

TRANSFORMS = '''\
"""Transforms."""
import torch


def train_transform(args):
    def apply(image):
        if torch.rand(1).item() < 0.5:
            image = image.flip(-1)
        return (image - 0.5) / 0.25

    return apply


def val_transform(args):
    return lambda image: (image - 0.5) / 0.25
'''

FACTORY = '''\
"""Model factory."""
from models import {imports}

MODELS = {{{entries}}}


def create_model(name, num_classes=1000):
    return MODELS[name](num_classes=num_classes)
'''

MODEL = '''\
"""Model {index}."""
import torch.nn as nn
import torch.nn.functional as F


class Net{index}(nn.Module):
    def __init__(self, num_classes=1000, width={width}):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 7, stride=2, padding=3), nn.BatchNorm2d(width), nn.ReLU())
        self.layers = nn.ModuleList([nn.Conv2d(width, width, 3, padding=1) for _ in range({depth})])
        self.head = nn.Linear(width, num_classes)

    def forward(self, x):
        x = self.stem(x)
        for layer in self.layers:
            x = F.relu(layer(x)) + x
        return self.head(x.mean(dim=(2, 3)))


def net{index}(num_classes=1000):
    return Net{index}(num_classes=num_classes)
'''

METERS = '''\
"""Meters."""
import torch


class AverageMeter:
    def __init__(self, name):
        self.name = name
        self.sum = 0.0
        self.count = 0
        self.avg = 0.0

    def update(self, value, n=1):
        self.sum += value * n
        self.count += n
        self.avg = self.sum / max(1, self.count)


def accuracy(output, target, topk=(1,)):
    maxk = max(topk)
    _, pred = output.topk(maxk, 1, True, True)
    correct = pred.t().eq(target.view(1, -1).expand_as(pred.t()))
    return [correct[:k].reshape(-1).float().sum(0) * 100.0 / target.size(0) for k in topk]
'''

DIST = '''\
"""Distributed helpers."""
import torch.distributed as dist


def get_rank():
    return dist.get_rank() if dist.is_available() and dist.is_initialized() else 0


def get_world_size():
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1


def is_main_process():
    return get_rank() == 0
'''

CHECKPOINT = '''\
"""Checkpoints."""
import torch


def save_checkpoint(path, model, optimizer, scheduler, epoch):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "epoch": epoch}, path)


def load_checkpoint(path, model, optimizer, scheduler):
    state = torch.load(path, map_location="cpu")
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    return state["epoch"] + 1
'''

SCRIPT = '''\
"""{kind} script {index}."""
import argparse

import torch
import torch.nn as nn

from data.loader import build_train_loader, build_val_loader
from models.factory import create_model
from utils.meters import AverageMeter, accuracy


def run(args):
    model = create_model(args.model, num_classes=args.num_classes).to(args.device)
    loader = build_{which}_loader(args)
    optimizer = torch.optim.AdamW(model.parameters(), lr={lr})
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size={step})
    meter = AverageMeter("loss")
    for epoch in range({epochs}):
        for images, targets in loader:
            images, targets = images.to(args.device), targets.to(args.device)
            loss = nn.functional.cross_entropy(model(images), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            meter.update(loss.item())
        {step_line}
        print(epoch, meter.avg, accuracy(model(images), targets)[0].item())


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="net0")
    parser.add_argument("--num-classes", type=int, default=10)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    run(parser.parse_args())
'''


def generate(root: str, files: int = 50, train_lines: int = 1000) -> str:
    """Write the project under ``root``; the path of its training script."""
    models = max(1, (files - 11) // 2)
    scripts = files - 11 - models
    contents = {
        "train.py": training_script(train_lines),
        "data/__init__.py": "",
        "data/loader.py": LOADER,
        "data/datasets.py": DATASETS,
        "data/transforms.py": TRANSFORMS,
        "models/__init__.py": "".join(f"from .net{i} import net{i}\n" for i in range(models)),
        "models/factory.py": FACTORY.format(
            imports=", ".join(f"net{i}" for i in range(models)),
            entries=", ".join(f'"net{i}": net{i}' for i in range(models)),
        ),
        "utils/__init__.py": "",
        "utils/meters.py": METERS,
        "utils/dist.py": DIST,
        "utils/checkpoint.py": CHECKPOINT,
        "pyproject.toml": '[project]\nname = "bench"\n\n[tool.tipcheck]\nselect = ["ALL"]\n',
    }
    for index in range(models):
        contents[f"models/net{index}.py"] = MODEL.format(index=index, width=32 + 8 * index, depth=2 + index % 5)
    for index in range(scripts):
        kind = ("finetune", "evaluate", "export")[index % 3]
        contents[f"scripts_{kind}_{index}.py"] = SCRIPT.format(
            kind=kind,
            index=index,
            which="train" if index % 2 else "val",
            lr=f"1e-{3 + index % 3}",
            step=5 + index,
            epochs=3 + index % 4,
            step_line="scheduler.step()" if index % 4 else "pass",
        )
    for relative, text in contents.items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return os.path.join(root, "train.py")


def python_files(root: str) -> List[str]:
    return sorted(
        os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names if name.endswith(".py")
    )
