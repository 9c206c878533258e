"""`tipcheck verify`'s output: the table on the terminal (`table`) and the JSON report (`write_json`).

The JSON report (format `tipcheck-verify/1`) holds: `script`, `args`, `root`, `settings`
(batches, epochs, nproc, device, seed, timeout, standins), `scratch` (with --keep), `rules`,
`files` (those fixed), `findings` (file, line, code, name, message, fix, fixed; a fixed one also
`ran`: its line ran in either copy, None when nothing could watch; `ran_in` per copy; `called`
for a parameter default: its function was called; `why` when its line never ran or that function
was never called, see tipcheck.verify.lines), `fixed_codes`,
`runs` (per copy: seconds, timed_out, exit_codes, steps per rank, stopped, standins, modules),
`promises` (per fixed rule: code, promise, findings, before, after, verdict, detail),
`unchanged` (check, before, after, verdict, detail), `verdict` ("verified", "broken",
"could not run", "nothing to verify"), `reason`, `exit` and `seconds`.
"""

from __future__ import annotations

import json
import os
from typing import List

WIDTHS = (44, 10, 34, 34)


def _cell(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _rows(rows: List[tuple]) -> List[str]:
    return ["  ".join(_cell(v, w).ljust(w) for v, w in zip(row, WIDTHS)).rstrip() for row in rows]


def table(report: dict) -> str:
    settings = report["settings"]
    lines = [
        f"tipcheck verify {report['script']}{' -- ' + ' '.join(report['args']) if report['args'] else ''}",
        f"  {settings['device']}, {settings['nproc']} process(es), at most {settings['epochs']} epochs x "
        f"{settings['batches']} batches, seed {settings['seed']}",
    ]
    fixed = [f for f in report.get("findings", []) if f["fixed"]]
    if fixed:
        lines.append("  fixed: " + ", ".join(f"{f['code']} {f['file']}:{f['line']}" for f in fixed))
    left = [f for f in report.get("findings", []) if not f["fixed"]]
    if left:
        lines.append("  not fixed: " + ", ".join(f"{f['code']} {f['file']}:{f['line']}" for f in left[:8]))
    for phase, run in (report.get("runs") or {}).items():
        stopped = run.get("stopped")
        limit = f"{report['settings']['epochs']} epochs" if stopped and stopped["reason"] == "epochs" else "E x K steps"
        how = f", stopped by verify after {limit}" if stopped else ""
        standins = sorted({s["dataset"] for s in run.get("standins", [])})
        extra = f", stand-ins: {', '.join(standins)}" if standins else ""
        lines.append(f"  {phase}: {run['seconds']:.1f} s, steps {run['steps']}{how}{extra}")
    if report.get("promises"):
        lines += ["", *_rows([("Promise", "Verdict", "Original", "Fixed")])]
        for row in report["promises"]:
            lines += _rows([(f"{row['code']} {row['promise']}", row["verdict"], row["before"], row["after"])])
            if row["detail"]:
                lines.append(f"    {_cell(row['detail'], 116)}")
    if report.get("unchanged"):
        lines += ["", *_rows([("Must not change", "Verdict", "Original", "Fixed")])]
        for row in report["unchanged"]:
            lines += _rows([(row["check"], row["verdict"], row["before"], row["after"])])
            if row["detail"]:
                lines.append(f"    {_cell(row['detail'], 116)}")
    lines.append("")
    reason = f": {report['reason']}" if report.get("reason") else ""
    lines.append(f"{report['verdict']}{reason} (exit {report['exit']}, {report['seconds']:.1f} s)")
    return "\n".join(lines) + "\n"


def write_json(report: dict, path: str) -> str:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2)
        handle.write("\n")
    return path
