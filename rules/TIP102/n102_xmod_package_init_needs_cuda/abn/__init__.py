# expect: none
"""[TIP102] abn/__init__.py: the package hands on its compiled batch norm; importing any module of
the package runs this first."""
from .functions import inplace_abn
from .wrappers import OnOneGPU

__all__ = ["inplace_abn", "OnOneGPU"]
