"""The codes of what tipcheck reports that are not a rule's own finding, in one place.

- The engine's own findings (``ENGINE_CODES``): a file that does not parse, cannot be read, or is
  too complex to analyse. They are always reported: they cannot be selected, ignored or suppressed.
- TIP001 ``unused-suppression``: a rule like the others for selection, pages and suppression
  (tipcheck.rules.tip001_unused_suppression), but its findings are made by the engine's
  suppression pass (tipcheck.policy, tipcheck.suppression), which needs its code and name.

Every other rule code is the ``code`` of its rule class (tipcheck.rules); the codes selection
applies to are those of the rule registry (tipcheck.config.all_codes).
"""

from __future__ import annotations

INVALID_SYNTAX = "invalid-syntax"
IO_ERROR = "io-error"
TOO_COMPLEX = "too-complex"  # a file tipcheck cannot analyse (tipcheck.limits)
ENGINE_CODES = (INVALID_SYNTAX, IO_ERROR, TOO_COMPLEX)

UNUSED_SUPPRESSION = "TIP001"
UNUSED_SUPPRESSION_NAME = "unused-suppression"

# Exit statuses, as in Ruff: no findings left, findings remain, a usage or internal error.
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
