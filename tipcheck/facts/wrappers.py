"""Calls that hand back the objects they are given: identity-keeping wrappers.

``model, optimizer = amp.initialize(model, optimizer)`` (apex), ``accelerator.prepare(model,
optimizer, loader, scheduler)`` (accelerate: a tuple in the same order, or the one object),
``fabric.setup(model, optimizer)`` (lightning): what comes back wraps what went in, and is used as
it was (``optimizer.step()`` still steps the optimizer, the scheduler still needs its own
``.step()``). The combine step (tipcheck.facts.combine) unifies each item of the result with the
argument it comes from, instead of letting the arguments escape into an unknown call.

Not here: ``deepspeed.initialize(..., lr_scheduler=...)``, whose engine steps the scheduler
itself (what it is given escapes, and the scheduler rules say nothing of it); ``torch.compile``
and ``DistributedDataParallel`` (tipcheck.facts.flow, tipcheck.facts.catalogue).
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from tipcheck.facts.flow import CallSite, KeyPath

# Functions: the keyword names of their two positional parameters (models, then optimizers).
FUNCTIONS = {"apex.amp.initialize": ("models", "optimizers")}

# Classes whose instances hand back what their methods are given, by method.
INSTANCE_CLASSES = {
    "accelerate.Accelerator": "accelerator",
    "accelerate.accelerator.Accelerator": "accelerator",
    "lightning.fabric.Fabric": "fabric",
    "lightning.Fabric": "fabric",
    "lightning_fabric.Fabric": "fabric",
    "pytorch_lightning.lite.LightningLite": "fabric",
}
METHODS = {
    "accelerator": {"prepare", "prepare_model", "prepare_optimizer", "prepare_scheduler", "prepare_data_loader"},
    "fabric": {"setup", "setup_module", "setup_optimizers", "setup_dataloaders"},
}

# Every method name above: a call of no other name is no wrapper's.
ALL_METHODS = frozenset(name for names in METHODS.values() for name in names)

Item = Tuple[Optional[str], KeyPath]  # (field of the call's result, or None for the result itself; argument)


def handed_back(site: CallSite, receiver_class: Optional[str]) -> Optional[List[Item]]:
    """What of ``site``'s result is which argument, for a call of an identity-keeping wrapper;
    None for any other call. ``receiver_class`` is what the receiver of a method call is an
    instance of ("accelerator", "fabric"), when the caller knows."""
    if site.star:
        return None
    if site.callee in FUNCTIONS:
        models, optimizers = FUNCTIONS[site.callee]
        model = site.kwargs.get(models) or (site.args[0] if site.args else None)
        optimizer = site.kwargs.get(optimizers) or (site.args[1] if len(site.args) > 1 else None)
        if model is None:
            return None
        return [("#0", model), ("#1", optimizer)] if optimizer is not None else [(None, model)]
    if receiver_class is None or site.method not in METHODS.get(receiver_class, ()):
        return None
    if site.kwargs or not site.args or any(path is None for path in site.args):
        return None
    if len(site.args) == 1:
        return [(None, site.args[0])]
    return [(f"#{index}", path) for index, path in enumerate(site.args)]


def receiver_class_by_name(receiver: Optional[KeyPath]) -> Optional[str]:
    """The instance class of a receiver named after it (`accelerator.prepare`, `self.fabric.setup`)."""
    if receiver is None:
        return None
    names = receiver[1] or ((receiver[0][3],) if receiver[0][0] == "var" else ())
    last = names[-1] if names else None
    return last if last in METHODS else None
