"""The harness's own error: a run that left no report."""


class HarnessError(RuntimeError):
    """A run that left no report (it crashed before writing one, or timed out)."""
