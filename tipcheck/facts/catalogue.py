"""What torch's classes are: the catalogue of the callables that create a value the facts track.

A qualified name (``torch.optim.lr_scheduler.StepLR``, ``torch.utils.data.DataLoader``, a
torchvision or timm model builder, ...) is given a kind ("scheduler", "optimizer", "loader",
"sampler", "batch_sampler", "wrapper", "scaler", "model", "dataset") and a class name. Project classes get
theirs from their bases (tipcheck.facts.combine); rules read the class names (``value.cls``) and
the few families below (schedulers stepped per batch, composite schedulers).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional, Tuple

DATALOADERS = {"torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader"}
DISTRIBUTED_SAMPLERS = {"torch.utils.data.DistributedSampler", "torch.utils.data.distributed.DistributedSampler"}
BATCH_SAMPLERS = {"torch.utils.data.BatchSampler", "torch.utils.data.sampler.BatchSampler"}
WRAPPERS = {
    "torch.nn.parallel.DistributedDataParallel",
    "torch.nn.parallel.distributed.DistributedDataParallel",
    "torch.nn.DataParallel",
    "torch.nn.parallel.DataParallel",
    "torch.nn.parallel.data_parallel.DataParallel",
}
GRAD_SCALERS = {"torch.cuda.amp.GradScaler", "torch.amp.GradScaler", "torch.GradScaler", "torch.cpu.amp.GradScaler"}
MODULE_BASES = {"torch.nn.Module", "torch.nn.modules.module.Module"}
# The base of every optimizer: not an optimizer of its own, but a project class deriving from it is one.
OPTIMIZER_BASES = {"torch.optim.Optimizer", "torch.optim.optimizer.Optimizer"}
NOT_MODULES = {"Parameter", "Buffer", "ParameterList", "ParameterDict", "UninitializedParameter"}
COMPOSITE_SCHEDULERS = {"SequentialLR", "ChainedScheduler"}
PER_BATCH_SCHEDULERS = {"OneCycleLR", "CyclicLR"}
# transformers' (and its predecessor pytorch_transformers') schedule factories, each returning a torch
# `LambdaLR`, and its schedule classes deriving from `LambdaLR`; its optimizers. Not `get_scheduler(name)`
# (the class depends on the name) nor the plateau schedule.
HF_PACKAGES = ("transformers", "transformers.optimization", "pytorch_transformers", "pytorch_transformers.optimization")
HF_LAMBDA_SCHEDULES = {
    "get_constant_schedule",
    "get_constant_schedule_with_warmup",
    "get_linear_schedule_with_warmup",
    "get_cosine_schedule_with_warmup",
    "get_cosine_with_hard_restarts_schedule_with_warmup",
    "get_polynomial_decay_schedule_with_warmup",
    "get_inverse_sqrt_schedule",
    "ConstantLRSchedule",
    "WarmupConstantSchedule",
    "WarmupLinearSchedule",
    "WarmupCosineSchedule",
    "WarmupCosineWithHardRestartsSchedule",
}
HF_OPTIMIZERS = {"AdamW", "Adafactor"}
# The class of a value whose class is picked at run time (`getattr(torch.optim.lr_scheduler, name)`).
ANY_CLASS = "?"


# Datasets: torch's own classes and torchvision's dataset classes (all map-style). A project class
# deriving from one of these is a dataset of its base's class (`IterableDataset`: an iterable one).
TORCH_DATASETS = {
    "torch.utils.data." + name
    for name in (
        "Dataset",
        "IterableDataset",
        "TensorDataset",
        "Subset",
        "ConcatDataset",
        "ChainDataset",
        "StackDataset",
    )
} | {"torch.utils.data.dataset." + name for name in ("Dataset", "IterableDataset", "TensorDataset", "Subset")}
ITERABLE_DATASETS = {"IterableDataset", "ChainDataset"}


@lru_cache(maxsize=8192)
def classify_torch(qualified: str) -> Optional[Tuple[str, str]]:
    """(kind, class name) for a torch/torchvision/timm callable that creates a tracked value (a
    function of the name alone: answered once per name)."""
    parts = qualified.split(".")
    last = parts[-1]
    if qualified.startswith("torch.optim.lr_scheduler.") and last.lstrip("_")[:1].isupper():
        return "scheduler", last.lstrip("_")
    if parts[:2] == ["torch", "optim"] and last[:1].isupper() and last != "Optimizer" and "lr_scheduler" not in parts:
        return "optimizer", last
    package, _, name = qualified.rpartition(".")
    if package in HF_PACKAGES and name in HF_LAMBDA_SCHEDULES:
        return "scheduler", "LambdaLR"
    if package in HF_PACKAGES and name in HF_OPTIMIZERS:
        return "optimizer", name
    if qualified in DATALOADERS:
        return "loader", "DataLoader"
    if qualified in DISTRIBUTED_SAMPLERS:
        return "sampler", "DistributedSampler"
    if qualified in BATCH_SAMPLERS:
        return "batch_sampler", "BatchSampler"
    if qualified in WRAPPERS:
        return "wrapper", last
    if qualified in GRAD_SCALERS:
        return "scaler", "GradScaler"
    if qualified in TORCH_DATASETS:
        return "dataset", last
    if qualified.startswith("torchvision.datasets.") and last[:1].isupper() and "transforms" not in parts:
        return "dataset", last
    if qualified == "timm.create_model":
        return "model", "timm"
    if qualified.startswith("transformers.") and last == "from_pretrained" and "Model" in parts[-2]:
        return "model", parts[-2]
    if parts[:2] == ["torch", "nn"] and len(parts) == 3 and last[:1].isupper() and last not in NOT_MODULES:
        return "model", last
    if qualified.startswith("torchvision.models."):
        from tipcheck.data import torchvision_table

        if qualified in torchvision_table().by_path:
            return "model", last
    return None
