"""`tipcheck server`: a Language Server (LSP, on stdio) that lints as you type.

The modules, from the editor inward:

- protocol: pygls's LanguageServer and the handlers; scheduling runs (debounced) and publishing;
- documents: the project's files, their settings, and their text (editor buffers over disk);
- notebooks, places: notebook cells joined into one module, and places mapped to the editor's;
- incremental: the engine run again with what it learnt kept in memory (tipcheck.memo);
- actions: diagnostics, quick fixes, noqa and fix-all actions, hover.

pygls is an optional dependency (`pip install 'tipcheck[server]'`): nothing else in tipcheck
imports this package.
"""

from __future__ import annotations

import sys

from tipcheck.codes import EXIT_ERROR, EXIT_OK

INSTALL_HINT = "error: `tipcheck server` needs pygls: install it with `pip install 'tipcheck[server]'`"


def main() -> int:
    """Run the server on stdin/stdout until the editor ends it; the exit status."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        return EXIT_ERROR
    from tipcheck.server.protocol import serve

    serve()
    return EXIT_OK
