"""What happens to a file's findings once the rules have run: the rules enabled for that file
(select/ignore, per-file-ignores, from the closest config), suppression comments (`# noqa`,
`# tipcheck: ignore[...]`, `# tipcheck: file-ignore[...]`), and the unused ones (TIP001)."""

from __future__ import annotations

from dataclasses import replace
from typing import Collection, List, Optional

from tipcheck.codes import ENGINE_CODES, INVALID_SYNTAX, UNUSED_SUPPRESSION
from tipcheck.config import Resolver, Settings
from tipcheck.diagnostics import Diagnostic
from tipcheck.source import SourceFile
from tipcheck.suppression import Suppressions


class Policy:
    """Without a resolver (the engine called as a library, with the rules it is given), the
    defaults apply, in preview mode: the rules passed are the selection, preview ones included."""

    def __init__(self, resolver: Optional[Resolver] = None) -> None:
        self.resolver = resolver
        self._default = replace(Settings.default(), preview=True) if resolver is None else None

    def settings(self, path: str) -> Settings:
        return self._default if self.resolver is None else self.resolver.for_path(path)

    def apply(
        self, source: SourceFile, diagnostics: List[Diagnostic], crashed: Collection[str] = ()
    ) -> List[Diagnostic]:
        settings = self.settings(source.path)
        enabled = settings.enabled_codes_for(source.path) - set(crashed)
        kept = [d for d in diagnostics if d.code in ENGINE_CODES or d.code in enabled]
        suppressions = Suppressions.from_source(source)
        if not suppressions:
            return kept
        remaining, _ = suppressions.filter(kept)
        if UNUSED_SUPPRESSION in enabled and not any(d.code == INVALID_SYNTAX for d in kept):
            remaining += suppressions.unused(kept, source.path, enabled)
        return sorted(remaining, key=lambda d: d.sort_key)
