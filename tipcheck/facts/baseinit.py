"""`super().__init__(...)` in a project subclass of a torch sampler or DataLoader class.

`class BucketBatchSampler(BatchSampler): def __init__(self, sampler, ...): super().__init__(sampler, ...)`
hands the sampler to torch's own constructor, which keeps it as `self.sampler` (as
`BatchSampler(sampler)` does; tipcheck.facts.combine) and sends it nowhere else: the call is no
escape, and the instance's `sampler` field is what it was given. Other torch bases (schedulers,
modules, ...) are left as they were: their arguments escape.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

# What torch's constructor of each kind keeps, by field: (field, keyword, position).
KEPT = {
    "batch_sampler": (("sampler", "sampler", 0),),
    "loader": (("sampler", "sampler", None), ("batch_sampler", "batch_sampler", None)),
    "sampler": (),
}


def _kept(kind: str, site) -> Optional[List[Tuple[str, object]]]:
    fields = KEPT.get(kind)
    if fields is None:
        return None
    found = []
    for name, keyword, position in fields:
        path = site.kwargs.get(keyword)
        if path is None and position is not None and len(site.args) > position:
            path = site.args[position]
        if path is not None:
            found.append((name, path))
    return found


def base_init(project, site) -> bool:
    """Link `super().__init__(...)` in a method of a project class deriving from a torch sampler,
    batch sampler or DataLoader (``project``: tipcheck.facts.combine.CombinedProject); False for
    any other call, which is left to the caller."""
    if site.method != "__init__" or site.receiver is None or site.receiver[1]:
        return False
    made = project._site_by_result().get(site.receiver[0])
    func = project.funcs.get(site.ctx.func)
    if made is None or made.callee != "super" or func is None or func.class_key is None:
        return False
    known = project._class_kind(func.class_key)
    kept = _kept(known[0], site) if known is not None else None
    if kept is None:
        return False
    graph = project.graph
    instance = ("self",) + func.class_key[1:]
    for name, path in kept:
        graph.union(graph.field(instance, name), graph.node(path))
    return True
