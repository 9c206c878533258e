"""The text of ``--show-settings``: the config file of a folder and every key's effective value,
stable from one run to the next."""

from __future__ import annotations

import json
from typing import Any

from tipcheck.config import DEFAULT_EXCLUDE, Settings


def describe(settings: Settings) -> str:
    """Stable text for ``--show-settings``: the config file and every key's effective value."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (tuple, list)):
            return "[" + ", ".join(json.dumps(x) for x in v) + "]"
        return json.dumps(v)

    lines = [
        f"config-file = {json.dumps(settings.path) if settings.path else 'none (defaults)'}",
        f"root = {json.dumps(settings.root)}",
        "",
        f"select = {value(settings.select if settings.select is not None else ('ALL',))}"
        + ("" if settings.select is not None else "  # default"),
        f"extend-select = {value(settings.extend_select)}",
        f"ignore = {value(settings.ignore)}",
    ]
    if settings.per_file_ignores:
        lines.append("per-file-ignores = {")
        for entry in settings.per_file_ignores:
            lines.append(f"    {json.dumps(entry.pattern)} = {value(entry.codes)},")
        lines.append("}")
    else:
        lines.append("per-file-ignores = {}")
    lines += [
        f"exclude = {value(DEFAULT_EXCLUDE if settings.exclude is None else settings.exclude)}"
        + ("  # default" if settings.exclude is None else ""),
        f"extend-exclude = {value(settings.extend_exclude)}",
        f"unsafe-fixes = {value(settings.unsafe_fixes)}",
        f"output-format = {value(settings.output_format)}",
        f"respect-gitignore = {value(settings.respect_gitignore)}",
        f"preview = {value(settings.preview)}",
        "severity = {" + ", ".join(f"{json.dumps(s)} = {json.dumps(v)}" for s, v in settings.severity) + "}",
    ]
    if not settings.cli.empty:
        lines.append("")
        if settings.cli.select is not None:
            lines.append(f"command-line select = {value(settings.cli.select)}")
        if settings.cli.extend_select:
            lines.append(f"command-line extend-select = {value(settings.cli.extend_select)}")
        if settings.cli.ignore:
            lines.append(f"command-line ignore = {value(settings.cli.ignore)}")
    lines += ["", f"enabled-codes = {value(sorted(settings.enabled_codes))}"]
    return "\n".join(lines) + "\n"
