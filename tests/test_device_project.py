"""TIP102 reads the project facts (the callers of a helper, the backends of the process groups) without
pulling in the modules linked to its files by imports: those are for the training rules, and parsing
them for TIP102 alone doubled its time on transformers (tipcheck.rules.base.Rule.expands)."""

from __future__ import annotations

from tipcheck.prefilter import rules_per_file
from tipcheck.rules import select_rules
from tipcheck.source import SourceFile

TRAIN = """\
import torch
from engine import run_epoch
from data import make_loader

model = torch.nn.Linear(4, 2).cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    run_epoch(model, make_loader(), optimizer)
"""
ENGINE = """\
def run_epoch(model, loader, optimizer):
    for x, y in loader:
        loss = (model(x) - y).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
"""
DATA = """\
from torch.utils.data import DataLoader

def make_loader():
    return DataLoader(list(range(8)), batch_size=2)
"""


def _wanted(select):
    sources = [
        SourceFile(path="/p/train.py", text=TRAIN),
        SourceFile(path="/p/engine.py", text=ENGINE),
        SourceFile(path="/p/data.py", text=DATA),
    ]
    wanted = rules_per_file(sources, select_rules(select))
    return {path.rsplit("/", 1)[-1]: sorted(rule.code for rule in rules) for path, rules in wanted.items()}


def test_tip102_alone_parses_only_what_it_reads():
    assert _wanted(["TIP102"]) == {"train.py": ["TIP102"], "engine.py": [], "data.py": []}


def test_training_rules_still_pull_in_linked_modules():
    # data.py builds the DataLoader (TIP101 wants it): the modules linked to it come along, for every
    # project rule that runs.
    assert _wanted(["TIP101", "TIP102"]) == {
        "train.py": ["TIP101", "TIP102"],
        "engine.py": ["TIP101", "TIP102"],
        "data.py": ["TIP101", "TIP102"],
    }


def test_tip102_reads_files_whose_only_cuda_device_is_formatted():
    """`torch.device("cuda:{}".format(rank))` is a placement (tipcheck.facts.devices.is_cuda_string):
    the prefilter must not skip a file that has no other."""
    rule = select_rules(["TIP102"])[0]
    assert rule.wanted('device = torch.device("cuda:{:d}".format(rank))\n')
    assert rule.wanted("x = torch.zeros(3, device=f'cuda:{rank}')\n")
    assert not rule.wanted("print('cuda is great')\n")


def test_tip102_reads_gpu_only_scripts_that_place_nothing_themselves():
    """A GPU-only entry script (set_device, NCCL, device_ids, CUDA_VISIBLE_DEVICES) is read even with
    no placement of its own: it is the caller that makes a helper's `.cuda()` GPU-only."""
    rule = select_rules(["TIP102"])[0]
    assert rule.wanted("torch.cuda.set_device(rank)\n")
    assert rule.wanted('dist.init_process_group("nccl")\n')
    assert rule.wanted("model = DDP(model, device_ids=[rank])\n")
    assert not rule.wanted("if torch.cuda.is_available():\n    pass\n")
