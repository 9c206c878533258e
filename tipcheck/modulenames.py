"""The dotted module name of a file, from the package folders above it (those with __init__.py).

Here rather than in tipcheck.facts.modules (which resolves imports with it) so that the engine's
cached path, which keys the project rules' findings by module names, does not import the facts
package (and LibCST with it).
"""

from __future__ import annotations

import os

# Moves when the files on the disk may have changed (every engine run without a memo; the editor
# server, which keeps one, when its watched files come or go): what was read from the disk about
# packages before (tipcheck.facts.modules) is read again.
_generation = 0


def disk_changed() -> None:
    global _generation
    _generation += 1


def disk_generation() -> int:
    return _generation


def module_name_for(path: str) -> str:
    """The dotted module name of a file: its package folders (those with __init__.py) and stem."""
    path = os.path.abspath(path)
    directory, filename = os.path.split(path)
    parts = [os.path.splitext(filename)[0]]
    if parts[0] == "__init__":
        parts = []
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
    return ".".join(parts)
