"""The harness's own errors: a run that left no report, an expectation file that cannot be used."""


class HarnessError(RuntimeError):
    """A run that left no report (it crashed before writing one, or timed out)."""


class ExpectationError(ValueError):
    """An expectation file that cannot be used (unreadable, or naming an unknown check or key)."""
