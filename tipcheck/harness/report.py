"""The harness's report: the verdict of each fixture × environment pair as a table, the figures the
expectations ask for (the data wait per step), a summary line, the failures, and the JSON and
markdown files (`tipcheck harness --json REPORT`)."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List

VERDICTS = ("pass", "fail", "error", "skip")


def failed(report: Dict[str, Any]) -> bool:
    return any(r["verdict"] in ("fail", "error") for r in report["results"])


def table(report: Dict[str, Any], markdown: bool = False) -> str:
    """Fixture × environment: the verdicts."""
    envs = report["environments"]
    cells: Dict[tuple, str] = {}
    rows: List[tuple] = []
    for result in report["results"]:
        key = (result["fixture"], result["rule"] or "-")
        if key not in rows:
            rows.append(key)
        cells[(result["fixture"], result["environment"])] = (
            result["verdict"].upper() if result["verdict"] != "pass" else "pass"
        )
    header = ["fixture", "rule", *envs]
    body = [[name, rule, *[cells.get((name, env), "-") for env in envs]] for name, rule in rows]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join(lines) + "\n"
    widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _ms(run: Dict[str, Any]) -> str:
    """`mean ms (in pass: mean ms)`, per rank `/`-separated; `-` without a measure."""

    def shown(key: str) -> str:
        values = [f"{v:.1f}" for v in run.get(key) or [] if v is not None]
        return "/".join(values)

    mean, in_pass = shown("data_wait_ms"), shown("data_wait_in_pass_ms")
    if not mean:
        return "-"
    return f"{mean} ms (in pass {in_pass} ms)" if in_pass else f"{mean} ms"


def measures_table(report: Dict[str, Any], markdown: bool = False) -> str:
    """The figures the expectations ask for (`"measures"`), per fixture × environment: for
    `data_wait`, the mean time from an optimizer step to the next batch in the original's run and
    the fixed copy's (per rank, `/`-separated), and the same leaving out each pass's first batch
    (which also waits for the pass to start: its workers, if any); "" when no fixture asks."""
    header = ["data wait per step", "environment", "before", "after", "start method"]
    body = []
    for result in report["results"]:
        if "data_wait" not in (result.get("measures") or []) or not result["runs"]:
            continue
        runs = result["runs"]
        body.append(
            [
                result["fixture"],
                result["environment"],
                _ms(runs.get("before", {})),
                _ms(runs.get("after", {})),
                result.get("start_method") or "-",
            ]
        )
    if not body:
        return ""
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in body]) + "\n"
    widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def summary_line(report: Dict[str, Any]) -> str:
    s = report["summary"]
    parts = [f"{s[v]} {v}" for v in VERDICTS if s[v] or v in ("pass", "fail")]
    return f"{s['total']} fixture×environment pairs: " + ", ".join(parts)


def problems(report: Dict[str, Any]) -> List[str]:
    out = []
    for result in report["results"]:
        if result["verdict"] == "error":
            out.append(f"{result['fixture']} @ {result['environment']}: error: {result['reason']}")
        for check in result["checks"]:
            if not check["ok"]:
                out.append(
                    f"{result['fixture']} @ {result['environment']}: {check['phase']}: {check['label']}: {check['detail']}"
                )
    return out


def _device_line(machine: Dict[str, Any]) -> str:
    gpus = machine.get("gpus") or []
    text = f"CPU: {machine.get('cpu')} ({machine.get('cpu_count')} cores)"
    if gpus:
        text += "; GPU: " + ", ".join(sorted(set(gpus))) + (f" ×{len(gpus)}" if len(gpus) > 1 else "")
    return text


def markdown(report: Dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        "# tipcheck harness report",
        "",
        f"- Date: {report['created']}",
        f"- Device: {_device_line(m)}",
        f"- torch {m.get('torch')} (CUDA {m.get('torch_cuda')}), torchvision {m.get('torchvision')}, "
        f"Python {m.get('python')}, tipcheck {m.get('tipcheck')}",
    ]
    if report.get("command"):
        lines.append(f"- Command: `{' '.join(report['command'])}`")
    if report.get("start_method"):
        lines.append(f"- DataLoader workers start with: {report['start_method']} (unless a fixture names another)")
    lines += ["", table(report, markdown=True), summary_line(report) + "."]
    figures = measures_table(report, markdown=True)
    if figures:
        lines += ["", "## Measured", "", figures.rstrip("\n")]
    found = problems(report)
    if found:
        lines += ["", "## Failures", ""] + [f"- {p[:600]}" for p in found]
    return "\n".join(lines) + "\n"


def write_reports(report: Dict[str, Any], json_path: str) -> List[str]:
    """The JSON report at `json_path`, and its markdown summary beside it (`.md`)."""
    folder = os.path.dirname(os.path.abspath(json_path))
    os.makedirs(folder, exist_ok=True)
    with open(json_path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    md_path = os.path.splitext(json_path)[0] + ".md"
    with open(md_path, "w", encoding="utf-8") as handle:
        handle.write(markdown(report))
    return [json_path, md_path]
