# expect: none
"""[TIP102] augment/__init__.py: re-exports everything of its modules with star imports."""
from .blend import *
from .noise import *
