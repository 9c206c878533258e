# expect: none
"""[TIP402] trainers/__init__.py: hands on the function `fit` of the module `fit.py` (real-world pattern: a package whose function has its module's name)."""
from .fit import fit
