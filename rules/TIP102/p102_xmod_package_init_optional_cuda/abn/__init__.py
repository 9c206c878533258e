# expect: none
"""[TIP102] abn/__init__.py: here the compiled op is optional (the package carries on without it),
so importing the package needs no GPU."""
try:
    from .functions import inplace_abn
except Exception:
    inplace_abn = None
from .wrappers import OnOneGPU

__all__ = ["inplace_abn", "OnOneGPU"]
