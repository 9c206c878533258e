# expect: none
"""[TIP501] datasets.py hands on the factory of loaders.py (`from loaders import create_dataloader`), as a package's __init__.py re-exports it (real-world pattern: config-driven classification repos)."""
from loaders import create_dataloader

__all__ = ["create_dataloader"]
