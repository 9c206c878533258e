"""The rule registry, collected from this package: every module named ``tipNNN_*.py`` defines one rule.

Adding a rule is adding its module here (``python scripts/new_rule.py TIP3NN some-name`` writes it);
no list is kept by hand. Its page and corpus cases live in ``rules/CODE/`` at the repository root.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from typing import Dict, Iterable, List

from tipcheck.rules.base import Rule
from tipcheck.selection import SelectionError, preview_allowed, select_codes  # noqa: F401 (SelectionError: raised here)

RULE_MODULE = re.compile(r"^tip\d{3}_\w+$")  # tip201_deprecated_pretrained


def _rules_of(module) -> List[Rule]:
    """The rules a module defines: its concrete Rule subclasses (instantiated) or Rule instances."""
    found: List[Rule] = []
    for value in vars(module).values():
        if inspect.isclass(value) and issubclass(value, Rule) and value.__module__ == module.__name__:
            if hasattr(value, "code"):  # Rule and ProjectRule only annotate it
                found.append(value())
        elif isinstance(value, Rule) and type(value).__module__ == module.__name__:
            found.append(value)
    return found


def collect_rules(package_name: str = __name__, path: Iterable[str] = __path__) -> List[Rule]:
    """Import every ``tipNNN_*`` module of the package, take the rule each defines, order by code."""
    rules: List[Rule] = []
    for info in pkgutil.iter_modules(list(path)):
        if info.ispkg or not RULE_MODULE.match(info.name):
            continue
        module = importlib.import_module(f"{package_name}.{info.name}")
        defined = _rules_of(module)
        if len(defined) != 1:
            raise ImportError(f"{module.__name__} defines {len(defined)} rules; a rule module defines one")
        rule = defined[0]
        if not info.name.startswith(f"tip{rule.code[3:].lower()}_"):
            raise ImportError(f"{module.__name__} defines {rule.code}; its name must start with tip{rule.code[3:]}_")
        rules.append(rule)
    rules.sort(key=lambda rule: rule.code)
    codes = [rule.code for rule in rules]
    if len(set(codes)) != len(codes):
        raise ImportError(f"two rule modules define the same code: {codes}")
    return rules


ALL_RULES: List[Rule] = collect_rules()

RULES_BY_CODE: Dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = (), preview: bool = False) -> List[Rule]:
    """Rules enabled by code prefixes, as Ruff's --select/--ignore (tipcheck.selection); preview
    rules only with ``preview`` or when selected by their exact code."""
    select = list(select)
    codes = select_codes(list(RULES_BY_CODE), select, ignore)
    if not preview:
        codes = preview_allowed(codes, [r.code for r in ALL_RULES if r.preview], select)
    return [RULES_BY_CODE[code] for code in codes]
