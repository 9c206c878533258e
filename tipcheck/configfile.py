"""Reading one config file and checking its values: the TOML itself, the ``[tool.tipcheck]`` table
of a ``pyproject.toml``, and the checks of the value types (tipcheck.config builds the settings from
them). Every problem is a ConfigError naming the file and the key.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Mapping, Optional, Tuple

from tipcheck.output.formats import FORMATS as OUTPUT_FORMATS

CONFIG_FILE = "tipcheck.toml"
PYPROJECT = "pyproject.toml"
# In one folder, the first of these that is a tipcheck config wins.
CONFIG_FILES = (CONFIG_FILE, PYPROJECT)


class ConfigError(Exception):
    """A config file (or a command-line override) that cannot be used.

    ``str(error)`` is the whole message, naming the file and the key; ``path`` and ``key`` are
    also kept apart (either may be None). The CLI prints it and exits with status 2.
    """

    def __init__(self, message: str, path: Optional[str] = None, key: Optional[str] = None):
        self.path = path
        self.key = key
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


_TOML_TYPES = {
    str: "a string",
    bool: "a boolean",
    int: "an integer",
    float: "a float",
    list: "an array",
    dict: "a table",
}


def type_name(value: Any) -> str:
    return _TOML_TYPES.get(type(value), "a date/time" if hasattr(value, "isoformat") else type(value).__name__)


def string_list(value: Any, path: str, key: str) -> Tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        got = type_name(value) if not isinstance(value, list) else "an array with a non-string item"
        raise ConfigError(f"`{key}` must be an array of strings, got {got}", path, key)
    return tuple(value)


def boolean(value: Any, path: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"`{key}` must be a boolean (true or false), got {type_name(value)}", path, key)
    return value


def check_output_format(value: Any, path: Optional[str], key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"`{key}` must be a string, got {type_name(value)}", path, key)
    if value not in OUTPUT_FORMATS:
        choices = ", ".join(f'"{f}"' for f in OUTPUT_FORMATS)
        raise ConfigError(f'`{key}` must be one of {choices}; got "{value}"', path, key)
    return value


def read_toml(path: str) -> Dict[str, Any]:
    import tomllib  # where there is a config: not at every start-up

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError("config file not found", path)
    except IsADirectoryError:
        raise ConfigError("config path is a directory, not a file", path)
    except OSError as exc:
        raise ConfigError(f"cannot read the config file: {exc.strerror or exc}", path)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path)
    except UnicodeDecodeError as exc:
        raise ConfigError(f"invalid TOML: not UTF-8 ({exc.reason})", path)


def pyproject_section(data: Mapping[str, Any], path: str) -> Optional[Dict[str, Any]]:
    tool = data.get("tool")
    if not isinstance(tool, dict) or "tipcheck" not in tool:
        return None
    section = tool["tipcheck"]
    if not isinstance(section, dict):
        raise ConfigError(f"`tool.tipcheck` must be a table, got {type_name(section)}", path, "tool.tipcheck")
    return section


def is_tipcheck_config(path: str) -> bool:
    """Whether ``path`` is a config tipcheck would use during discovery.

    ``tipcheck.toml`` always is; ``pyproject.toml`` only with a ``[tool.tipcheck]`` table (a file
    that never mentions "tipcheck" is not even parsed). Raises ConfigError for a pyproject that
    mentions tipcheck but is not valid TOML.
    """
    if os.path.basename(path) != PYPROJECT:
        return os.path.isfile(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    if b"tipcheck" not in data:
        return False
    import tomllib

    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"invalid TOML: {exc}", path)
    return pyproject_section(parsed, path) is not None


def find_config(folder: str) -> Optional[str]:
    """The config file of ``folder`` itself (not of its parents), or None."""
    for name in CONFIG_FILES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate) and is_tipcheck_config(candidate):
            return candidate
    return None
