# expect: none
"""The package hands on the optimizer factory under its submodule's own name: after this import,
`tools.build_optimizer` is the function, not the submodule."""
from .build_optimizer import build_optimizer
from .warmup import WarmupStepLR
