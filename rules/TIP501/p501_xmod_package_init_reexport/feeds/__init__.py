# expect: none
"""[TIP501] feeds/__init__.py only re-exports the loader helper of feeds/build.py."""
from .build import feed_loader  # noqa: F401
