"""Why a script could not run under `tipcheck verify`, in words a user can act on: the data file it
could not find (with the script's own dummy-data flag, when its argparse has one), the download
it tried, the GPU it needed, the time it took.

`dummy_flags` reads the scripts' text (with `ast`: nothing is run) for `add_argument` options
named like a dummy-data switch, or with such a choice. Nothing here imports torch.
"""

from __future__ import annotations

import ast
import json
import os
import re
from typing import Iterable, List, Optional

from tipcheck.verify.inside import MISSING_FILES

#: Words that name a dummy-data option (`--dummy`, `--fake-data`, `--synthetic`, `--smoke-test`).
DUMMY_WORDS = ("dummy", "fake", "synthetic", "synth", "stub", "random_data", "random-data", "smoke", "toy")
_MISSING = re.compile(r"No such file or directory: '([^']+)'")


def _dummy(text: str) -> bool:
    return any(word in text.lower() for word in DUMMY_WORDS)


def _choices(call: ast.Call) -> List[str]:
    for keyword in call.keywords:
        if keyword.arg == "choices" and isinstance(keyword.value, (ast.List, ast.Tuple, ast.Set)):
            return [e.value for e in keyword.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def dummy_flags(paths: Iterable[str]) -> List[str]:
    """The options of `add_argument` calls in these files whose name has a DUMMY_WORDS word
    (`--dummy`), or, for an option with such a choice, the option and that choice
    (`--dataset-type synthetic`)."""
    found: List[str] = []
    for path in paths:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                tree = ast.parse(handle.read())
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != "add_argument":
                continue
            names = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            names = [n for n in names if n.startswith("-")]
            flags = [n for n in names if _dummy(n)]
            if not flags and names:
                choice = next((c for c in _choices(node) if _dummy(c)), None)
                flags = [f"{max(names, key=len)} {choice}"] if choice else []
            found += [f for f in flags[:1] if f not in found]
    return found


def missing_files(reports: Iterable[Optional[dict]], notes_dir: Optional[str] = None) -> List[dict]:
    """The data files the run's datasets could not find ({"file", "where"}), from the reports and
    from what loader workers wrote in the notes folder."""
    found: List[dict] = []
    for report in reports:
        for entry in ((report or {}).get("verify") or {}).get("missing_files", []):
            if entry not in found:
                found.append(entry)
    if notes_dir and os.path.exists(os.path.join(notes_dir, MISSING_FILES)):
        with open(os.path.join(notes_dir, MISSING_FILES), encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry not in found:
                    found.append(entry)
    return found


def _exception_text(report: dict) -> str:
    exc = report.get("exception") or {}
    return f"{exc.get('type', '')}: {exc.get('message', '')}\n{exc.get('traceback', '')}"


def failure_reason(report: Optional[dict], missing: List[dict], flags: List[str], scratch: str = "") -> str:
    """Why a run failed, with what to try (see the module's doc)."""
    if report is None:
        return "the process left no report"
    exc = report.get("exception") or {}
    text = _exception_text(report)
    if exc:
        reason = f"{exc.get('type')}: {str(exc.get('message', '')).strip()[:300]}"
    else:  # sys.exit(N): what the script said last (argparse's usage error, say)
        said = [line for line in (report.get("stderr_tail") or "").splitlines() if line.strip()]
        reason = f"exit {report.get('exit')}" + (f": {said[-1].strip()[:300]}" if said else "")
    file = missing[0]["file"] if missing else None
    if file is None and exc:
        match = _MISSING.search(text)
        if match and ("FileNotFoundError" in text or "No such file" in text):
            file = match.group(1)
    if file is not None:
        shown = file.replace(scratch.rstrip(os.sep) + os.sep, "") if scratch else file
        where = f" (in {missing[0]['where']})" if missing else ""
        if missing and missing[0].get("folder"):
            reason = f"the script looks for its data in {shown}{where}, a folder that does not exist"
        else:
            reason = f"the script opens {shown}{where}, which does not exist"
        reason += ": its data is not here" if missing else " (data, a checkpoint, or a folder it expects to exist)"
        if flags:
            reason += f"; try its own dummy-data option: `-- {flags[0]}`"
        else:
            reason += "; point it at a small copy of the data (-- its data option), or stand in for the data with --data-stub FILE"
        return reason
    if "num_samples should be a positive integer" in text:
        return reason + " (the dataset is empty: are its files missing?)" + (f"; try `-- {flags[0]}`" if flags else "")
    if re.search(r"HF_HUB_OFFLINE|offline mode|LocalEntryNotFoundError|couldn't connect|URLError|urlopen", text):
        return reason + " (it tried to download: verify runs offline, with HF_HUB_OFFLINE=1)"
    if re.search(r"Torch not compiled with CUDA|no NVIDIA driver|CUDA driver|CUDA is not available|nccl", text, re.I):
        return reason + " (it needs a GPU: run with --device cuda on a machine that has one)"
    return reason
