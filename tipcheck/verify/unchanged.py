"""What a fix must not change, judged on `tipcheck verify`'s two runs (see
tipcheck.verify.promises for the promises themselves): no new exception, the loss of the first
step (to a relative tolerance), the number of optimizer steps, no new warning, and the LR per step
and the weights loaded where no fixed rule is about them. A check that a fixed rule is expected to
change (EXPECTED_CHANGES) is left out, saying why. Nothing here imports torch.
"""

from __future__ import annotations

import math
import re
from typing import Callable, Dict, List, Optional, Sequence

from tipcheck.harness.observables import step_lrs
from tipcheck.verify.promises import BROKEN, EXPECTED_CHANGES, KEPT, NOT_SHOWN

#: A warning's message, normalised: hex addresses and the scratch copies' folders do not count.
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# A process id in a message (Python 3.12's "This process (pid=664) is multi-threaded, use of fork()
# may lead to deadlocks"): each run has its own; the warning is the same.
_PROCESS_ID = re.compile(r"\b(pid[=: ]\s*)\d+", re.IGNORECASE)


def normaliser(*roots: str) -> Callable[[str], str]:
    def normalise(text: str) -> str:
        for root in roots:
            if root:
                text = text.replace(root, "<project>")
        return _PROCESS_ID.sub(r"\1?", _ADDRESS.sub("0x?", text))

    return normalise


def _first_loss(report: dict) -> Optional[float]:
    epochs = report.get("loss_epochs") or []
    return epochs[0]["first"] if epochs else None


def _row(check: str, verdict: str, before: str, after: str, detail: str = "") -> Dict[str, str]:
    return {"check": check, "verdict": verdict, "before": before, "after": after, "detail": detail}


def _expected(check: str, codes: Sequence[str]) -> Optional[str]:
    why = [f"{code}: {reason}" for code, reason in EXPECTED_CHANGES.get(check, {}).items() if code in codes]
    return "; ".join(why) or None


def unchanged(
    before: Sequence[Optional[dict]],
    after: Sequence[Optional[dict]],
    codes: Sequence[str],
    tolerance: float = 1e-4,
    normalise: Callable[[str], str] = lambda text: text,
) -> List[Dict[str, str]]:
    """The rows of what must not change (see the module's doc)."""
    rows = []
    pairs = [(b, a) for b, a in zip(before, after) if b is not None and a is not None]
    if not pairs or len(pairs) != len(before):
        return [_row("comparison", NOT_SHOWN, "", "", "a run left no report")]

    def exc(report):
        e = report.get("exception")
        if e is None and report.get("exit") not in (0, None):  # sys.exit(N) without an exception
            return f"exit {report['exit']}"
        return normalise(f"{e['type']}: {e['message'].strip()[:200]}") if e else None

    new = [exc(a) for b, a in pairs if exc(a) and exc(a) != exc(b)]
    gone = [exc(b) for b, a in pairs if exc(b) and not exc(a)]
    rows.append(
        _row(
            "no new exception",
            BROKEN if new else KEPT,
            exc(pairs[0][0]) or "none",
            exc(pairs[0][1]) or "none",
            f"new: {new[0]}" if new else (f"gone: {gone[0]}" if gone else ""),
        )
    )
    if any(exc(b) for b, _ in pairs):
        rows.append(_row("the rest", NOT_SHOWN, "", "", "the original failed: nothing else to compare"))
        return rows
    # The loss of the first step.
    firsts = [(_first_loss(b), _first_loss(a)) for b, a in pairs]
    expected = _expected("first-step loss", codes)
    shown_b = ", ".join("-" if b is None else f"{b:.6g}" for b, _ in firsts)
    shown_a = ", ".join("-" if a is None else f"{a:.6g}" for _, a in firsts)
    if expected:
        rows.append(_row("first-step loss", NOT_SHOWN, shown_b, shown_a, f"expected to change ({expected})"))
    elif any(b is None for b, _ in firsts):
        rows.append(_row("first-step loss", NOT_SHOWN, shown_b, shown_a, "the original backpropagated no scalar loss"))
    else:
        off = [
            (b, a)
            for b, a in firsts
            if a is None or not (math.isfinite(a) and math.isclose(a, b, rel_tol=tolerance, abs_tol=1e-7))
        ]
        detail = f"differs beyond a relative {tolerance:g}" if off else f"within a relative {tolerance:g}"
        rows.append(_row("first-step loss", BROKEN if off else KEPT, shown_b, shown_a, detail))
    # The number of optimizer steps.
    steps_b = [len(b["lr"]) for b, _ in pairs]
    steps_a = [len(a["lr"]) for _, a in pairs]
    expected = _expected("optimizer steps", codes)
    verdict = NOT_SHOWN if expected else (KEPT if steps_a == steps_b else BROKEN)
    rows.append(
        _row(
            "optimizer steps",
            verdict,
            str(steps_b),
            str(steps_a),
            f"expected to change ({expected})" if expected else "",
        )
    )
    # The LR per step, where no fixed rule is about the schedule.
    expected = _expected("LR per step", codes)
    if not expected:
        # Over the steps both runs made (the number of steps is the check above).
        same = all(
            all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-15) for x, y in zip(step_lrs(b), step_lrs(a)))
            for b, a in pairs
        )
        lrs_b, lrs_a = step_lrs(pairs[0][0]), step_lrs(pairs[0][1])
        rows.append(
            _row(
                "LR per step",
                KEPT if same else BROKEN,
                f"{len(lrs_b)} steps, first {lrs_b[0]:.4g}" if lrs_b else "no step",
                f"{len(lrs_a)} steps, first {lrs_a[0]:.4g}" if lrs_a else "no step",
                "" if same else "the LR differs at a step both runs made",
            )
        )
    # The weights loaded, where no fixed rule is about them.
    if not _expected("weights loaded", codes):
        weights = [([w["member"] for w in b["weights"]], [w["member"] for w in a["weights"]]) for b, a in pairs]
        if any(b or a for b, a in weights):
            same = all(b == a for b, a in weights)
            rows.append(
                _row(
                    "weights loaded",
                    KEPT if same else BROKEN,
                    ", ".join(weights[0][0]) or "none",
                    ", ".join(weights[0][1]) or "none",
                )
            )

    # No new warning.
    def shown(report):
        return {f"{w['category']}: {normalise(w['message']).strip()[:200]}" for w in report["warnings"]}

    new_warnings = sorted(set().union(*(shown(a) - shown(b) for b, a in pairs)))
    gone_warnings = sorted(set().union(*(shown(b) - shown(a) for b, a in pairs)))
    rows.append(
        _row(
            "no new warning",
            BROKEN if new_warnings else KEPT,
            f"{len(shown(pairs[0][0]))} kinds",
            f"{len(shown(pairs[0][1]))} kinds",
            (f"new: {new_warnings[0]}" if new_warnings else "")
            + (f"{'; ' if new_warnings else ''}gone: {gone_warnings[0][:120]}" if gone_warnings else ""),
        )
    )
    return rows
