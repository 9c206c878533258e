"""Method calls on string literals: they read their arguments and keep none of them.

`"sampler must be a Sampler, got {}".format(sampler)` (in a check that raises) makes a string
from the sampler; the sampler goes nowhere the facts cannot see, so the call is no escape
(tipcheck.facts.combine treats it like the harmless builtins of tipcheck.facts.flow).
"""

from __future__ import annotations

import libcst as cst

STRING_LITERALS = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)

# str methods that only read (format, join over an iterable) and return a new string.
READING_METHODS = frozenset({"format", "format_map", "join"})


def formats_only(site) -> bool:
    """Whether a call site (tipcheck.facts.flow.CallSite) is a reading method of a string literal."""
    func = site.node.func
    return (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, STRING_LITERALS)
        and func.attr.value in READING_METHODS
    )
