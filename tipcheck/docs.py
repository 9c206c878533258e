"""Rule pages: rules/CODE/CODE.md at the repository root (beside that rule's corpus cases), shipped in the
wheel as tipcheck/_rule_pages/CODE/CODE.md."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

DOCS_BASE = "https://github.com/tipcheck/tipcheck/blob/main/rules"


def rule_url(code: str) -> Optional[str]:
    return f"{DOCS_BASE}/{code}/{code}.md" if code.startswith("TIP") else None


def _page_dirs():
    package = Path(__file__).resolve().parent
    yield package / "_rule_pages"  # an installed wheel
    yield package.parent / "rules"  # a source checkout or an editable install


def rule_page_path(code: str) -> Optional[Path]:
    for directory in _page_dirs():
        candidate = directory / code / f"{code}.md"
        if candidate.is_file():
            return candidate
    return None


def rule_page(code: str) -> Optional[str]:
    path = rule_page_path(code)
    return path.read_text("utf-8") if path is not None else None
