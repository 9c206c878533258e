"""Reading what a run did out of its reports (see tipcheck.harness.instrument for what they hold):
the LRs per step and per epoch, warnings, failures, the DistributedSampler orders, the DataLoaders'
passes. Plain functions of JSON data; nothing here imports torch.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence


def step_lrs(report: dict, optimizer: int = 0, group: int = 0) -> List[float]:
    """The LR of one param group after each step of one optimizer (the LR that step used)."""
    return [entry["lrs"][group] for entry in report["lr"] if entry["optimizer"] == optimizer]


def lrs_by_loader_iter(report: dict, optimizer: int = 0, group: int = 0) -> List[List[float]]:
    """The step LRs grouped by the DataLoader iteration they ran in (in a training script: by epoch)."""
    groups: Dict[int, List[float]] = {}
    for entry in report["lr"]:
        if entry["optimizer"] == optimizer:
            groups.setdefault(entry["loader_iter"], []).append(entry["lrs"][group])
    return [groups[k] for k in sorted(groups)]


def epoch_lrs(report: dict, optimizer: int = 0, group: int = 0) -> List[float]:
    """The LR of the first step of each epoch (DataLoader iteration)."""
    return [lrs[0] for lrs in lrs_by_loader_iter(report, optimizer, group)]


def warnings_matching(report: dict, text: str, category: Optional[str] = None) -> List[dict]:
    return [w for w in report["warnings"] if text in w["message"] and (category is None or w["category"] == category)]


def failures(report: dict) -> List[str]:
    """What went wrong in a run: a non-zero exit, an exception, a loss that is missing or not finite."""
    import math

    problems = []
    if report["exit"] != 0:
        problems.append(f"exit code {report['exit']}")
    if report["exception"]:
        problems.append(f"{report['exception']['type']}: {report['exception']['message']}")
    if report["loss"] is None:
        problems.append("no scalar loss was ever backpropagated")
    elif not (report["loss_all_finite"] and math.isfinite(report["loss"])):
        problems.append(f"a loss was not finite (last {report['loss']})")
    return problems


def sampler_orders(reports: Sequence[dict], sampler: int = 0) -> Dict[int, List[List[int]]]:
    """{rank: [order of each epoch]} of one DistributedSampler (by index of creation) per process."""
    orders = {}
    for report in reports:
        entries = [s for s in report["sampler_epochs"] if s["sampler"] == sampler]
        if entries:
            orders[entries[0]["rank"]] = entries[0]["epochs"]
    return orders


def sampler_repeats_every_epoch(reports: Sequence[dict], sampler: int = 0) -> bool:
    """True if every rank's sampler yielded one and the same order in every epoch (of two or more)."""
    orders = sampler_orders(reports, sampler)
    return bool(orders) and all(len(e) >= 2 and all(o == e[0] for o in e) for e in orders.values())


def sampler_problems(reports: Sequence[dict], sampler: int = 0) -> List[str]:
    """Why a DistributedSampler did not shard and reshuffle as `set_epoch(epoch)` makes it; [] if it did.

    Checked: every rank has the sampler and the same number (>= 2) of epochs; each rank's order
    differs from one epoch to the next; within each epoch the ranks' indices are disjoint (when the
    dataset divides evenly) and together cover the dataset.
    """
    problems: List[str] = []
    entries = {}
    for report in reports:
        found = [s for s in report["sampler_epochs"] if s["sampler"] == sampler]
        if not found:
            problems.append(f"process of rank {report.get('rank')} built no DistributedSampler #{sampler}")
            continue
        entries[found[0]["rank"]] = found[0]
    if problems or not entries:
        return problems or ["no DistributedSampler was built"]
    any_entry = next(iter(entries.values()))
    replicas, length = any_entry["num_replicas"], any_entry["dataset_len"]
    if sorted(entries) != list(range(replicas)):
        problems.append(f"ranks {sorted(entries)} do not match num_replicas={replicas}")
    counts = {rank: len(e["epochs"]) for rank, e in entries.items()}
    if len(set(counts.values())) != 1 or min(counts.values()) < 2:
        return problems + [f"epochs per rank {counts}: need the same number, at least 2"]
    epochs = min(counts.values())
    for rank, entry in sorted(entries.items()):
        for index in range(1, epochs):
            if entry["epochs"][index] == entry["epochs"][index - 1]:
                problems.append(f"rank {rank}: epoch {index} repeats the order of epoch {index - 1}")
    for index in range(epochs):
        shards = [entries[rank]["epochs"][index] for rank in sorted(entries)]
        if length is not None and length % replicas == 0:
            seen = set()
            for shard in shards:
                if seen & set(shard):
                    problems.append(f"epoch {index}: the ranks' indices overlap")
                    break
                seen |= set(shard)
        if length is not None and not any_entry.get("drop_last"):
            covered = set().union(*map(set, shards))
            if covered != set(range(length)):
                problems.append(f"epoch {index}: the ranks cover {len(covered)} of {length} items")
    return problems


def loader_record(report: dict, loader: int = 0) -> Optional[dict]:
    """The `loader_epochs` entry of DataLoader #`loader` (numbered in order of first pass), or None."""
    entries = report.get("loader_epochs") or []
    return entries[loader] if 0 <= loader < len(entries) else None


def loader_passes(report: dict, loader: int = 0) -> List[List[int]]:
    """The index orders of the complete passes of DataLoader #`loader` (those whose sampler ran
    out: a pass left early, or a `next(iter(loader))`, is not one)."""
    record = loader_record(report, loader)
    if record is None:
        return []
    return [order for order, complete in zip(record["epochs"], record["complete"]) if complete]


def loader_shard_problems(reports: Sequence[dict], loader: int = 0) -> List[str]:
    """Why the ranks' passes of DataLoader #`loader` are not shards of its dataset; [] if they are.

    Every rank has the loader and the same number (>= 1) of complete passes; in each pass the ranks'
    indices together cover the dataset, and overlap only as much as DistributedSampler's padding
    needs when the length does not divide by the number of ranks (ceil(len / ranks) * ranks - len
    repeated indices at most).
    """
    records, passes = {}, {}
    for index, report in enumerate(reports):
        rank = index if report.get("rank") is None else report["rank"]
        record = loader_record(report, loader)
        if record is None:
            return [f"rank {rank}: no DataLoader #{loader} was iterated"]
        records[rank] = record
        passes[rank] = loader_passes(report, loader)
    lengths = {r["dataset_len"] for r in records.values()}
    if len(lengths) != 1 or None in lengths:
        return [f"dataset lengths {sorted(map(str, lengths))}: need one known length"]
    [length] = lengths
    counts = {rank: len(p) for rank, p in passes.items()}
    if len(set(counts.values())) != 1 or min(counts.values()) < 1:
        return [f"complete passes per rank {counts}: need the same number, at least 1"]
    ranks = len(records)
    padding = (-length) % ranks
    problems = []
    for number in range(min(counts.values())):
        shards = [passes[rank][number] for rank in sorted(passes, key=str)]
        covered = set().union(*map(set, shards))
        drawn = sum(len(s) for s in shards)
        if covered != set(range(length)):
            problems.append(f"pass {number}: the ranks cover {len(covered & set(range(length)))} of {length} indices")
        if drawn - len(covered) > padding:
            problems.append(
                f"pass {number}: {drawn} indices drawn over {ranks} ranks for {len(covered)} distinct: "
                f"the shards overlap (padding allows {padding} repeats)"
            )
    return problems
