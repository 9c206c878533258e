# expect: none
"""[TIP102] losses/__init__.py: hands the losses on with star imports."""
from .heads import *
from .weighted import *
