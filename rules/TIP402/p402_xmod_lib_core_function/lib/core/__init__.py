# expect: none
"""[TIP402] lib/core/__init__.py: a package inside the namespace folder lib/."""
