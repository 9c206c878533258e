# expect: none
"""[TIP102] prep/__init__.py: hands the prefetcher on to the package's users."""
from .prefetch import GpuPrefetcher

__all__ = ["GpuPrefetcher"]
