"""Recording the command-line options a script ended up with (TIP503: its `local_rank`).

`ArgumentRecording`, a mixin of `tipcheck.harness.instrument.Recorder`, wraps
`argparse.ArgumentParser.parse_known_args` (which `parse_args` calls) to record the namespace each
top-level parse returned: its plain values (None, bool, int, float, str; other values as their
`repr`, cut), at most MAX_NAMESPACES namespaces of MAX_OPTIONS options. The report gets
`parsed_args`, a list of such dicts in the order of the parses. tipcheck's own options are parsed
before the wrapper is installed, so only the script's appear.
"""

from __future__ import annotations

import argparse
from typing import Any, Dict, List

MAX_NAMESPACES = 10
MAX_OPTIONS = 60


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return {"repr": repr(value)[:80]}


class ArgumentRecording:
    """Records the namespaces `argparse` returns to the script (a mixin of the Recorder)."""

    def _install_arguments(self) -> None:
        self.parsed_args: List[Dict[str, Any]] = []
        original = argparse.ArgumentParser.parse_known_args
        depth = [0]  # subparsers parse again inside a parse: only the outermost result counts

        def parse_known_args(parser, *args, **kwargs):
            depth[0] += 1
            try:
                result = original(parser, *args, **kwargs)
            finally:
                depth[0] -= 1
            if depth[0] == 0 and len(self.parsed_args) < MAX_NAMESPACES:
                try:
                    namespace = vars(result[0])
                    self.parsed_args.append({str(k): _plain(v) for k, v in list(namespace.items())[:MAX_OPTIONS]})
                except Exception:
                    pass
            return result

        parse_known_args.__doc__ = original.__doc__
        parse_known_args.__wrapped__ = original
        argparse.ArgumentParser.parse_known_args = parse_known_args

    def _arguments_report(self) -> Dict[str, Any]:
        return {"parsed_args": list(getattr(self, "parsed_args", []))}
