# expect: none
"""[TIP102] losses/__init__.py: hands the losses on, one module with a star import, one by name."""
from .pixel import *
from .ranking import RankingLoss
