"""Jupyter notebooks: lint the code cells as one module, map findings back to cells, write fixes back.

A notebook is linted as ONE Python text, :attr:`Notebook.text`: the code cells concatenated in order,
each ending with a newline, so that facts work across cells (a model built in cell 2 and trained in
a loop in cell 5). IPython syntax that is not Python is replaced, line for line, by placeholder lines
that parse (``pass  # tipcheck placeholder for IPython syntax``, at the line's indentation; the
comment is not a suppression directive), so that every line keeps its position in its cell
(tipcheck.ipython):

- line magics ``%time x``, shell escapes ``!pip install x``, help ``?obj`` / ``obj?`` / ``obj??``,
  and the autocall escapes ``/f x``, ``,f x``, ``;f x`` at the start of a logical line (a line
  ending in ``\\`` carries the magic on to the next line);
- ``x = !ls`` / ``x = %sx ls`` become ``x = None  # ...`` (the same comment; the name stays bound);
- a cell magic on the first line of a cell: ``%%time``, ``%%timeit``, ``%%capture``, ``%%prun``,
  ``%%debug``, ``%%python``, ``%%python3``, ``%%pypy``, ``%%ipytest`` run their body as Python in
  the notebook's namespace, so only that first line is a placeholder; any other cell magic
  (``%%bash``, ``%%writefile``, ...), a ``%%`` line further down, or an automagic first line
  (``pip install x``, ``cd dir``: Ruff's list) makes the cell not Python, and such a cell is left
  out of the text entirely (it is never changed) - the same cells Ruff skips;
- markdown and raw cells, and code cells whose ``metadata.vscode.languageId`` is not ``python``,
  are left out too.

Cells are numbered as Jupyter shows them and as Ruff prints them (``cell 4``): 1-based among ALL
cells, markdown included. :meth:`Notebook.location` maps a (row, column) of the text to
(cell, row in cell, column); columns are unchanged.

:meth:`Notebook.write_fixed` maps a fixed text back into the cells and returns the notebook's JSON
text with only the ``source`` of the changed cells replaced in place: outputs, metadata, execution
counts, key order, indentation, escaping and the trailing newline stay byte for byte as they were,
and a notebook without changes comes back byte-identical.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from dataclasses import dataclass, field
from json.decoder import scanstring
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from tipcheck.ipython import PLACEHOLDER, cell_kind, line_ending, placeholders
from tipcheck.source import MAX_NOTEBOOK_BYTES, SourceError, SourceFile, read_bytes

__all__ = ["Notebook", "NotebookError", "format_location", "is_notebook_path", "PLACEHOLDER"]

_NEWLINE = re.compile(r"\r\n|\r|\n")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class NotebookError(ValueError):
    """A file that is not a readable Jupyter notebook, or fixes that cannot be put back into it.

    ``line``/``column`` (1-based) locate a JSON syntax error in the file when known.
    """

    def __init__(self, message: str, line: Optional[int] = None, column: Optional[int] = None):
        super().__init__(message)
        self.line = line
        self.column = column


def is_notebook_path(path: Union[str, "os.PathLike[str]"]) -> bool:
    return os.fspath(path).lower().endswith(".ipynb")


def format_location(path: str, cell: int, line: int, column: int) -> str:
    """``train.ipynb:cell 4:3:1``: Ruff's form of a location in a notebook."""
    return f"{path}:cell {cell}:{line}:{column}"


def _split_lines(text: str) -> List[str]:
    """Lines with their endings (CR LF, CR or LF only, as Python's tokenizer splits them)."""
    return _LINE.findall(text)


# -- where each cell's `source` is in the JSON text ------------------------------------------------
@dataclass
class _Span:
    start: int  # the value: raw[start:end]
    end: int
    is_list: bool
    items: List[Tuple[int, int]] = field(default_factory=list)  # each string item of a list


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()


def _skip_value(text: str, i: int) -> int:
    return _DECODER.raw_decode(text, i)[1]


def _object(text: str, i: int, on_value: Callable[[str, int], int]) -> int:
    """Walk the object at ``text[i] == '{'``; ``on_value(key, start)`` returns the value's end."""
    i = _skip(text, i + 1)
    if text[i] == "}":
        return i + 1
    while True:
        key, i = scanstring(text, i + 1)
        i = _skip(text, i)
        i = _skip(text, i + 1)  # the colon
        i = _skip(text, on_value(key, i))
        if text[i] == ",":
            i = _skip(text, i + 1)
            continue
        return i + 1  # the closing brace


def _array(text: str, i: int, on_item: Callable[[int, int], int]) -> int:
    i = _skip(text, i + 1)
    if text[i] == "]":
        return i + 1
    n = 0
    while True:
        i = _skip(text, on_item(n, i))
        n += 1
        if text[i] == ",":
            i = _skip(text, i + 1)
            continue
        return i + 1


def _source_spans(text: str) -> List[Optional[_Span]]:
    """The span of every cell's ``source`` value in valid notebook JSON (the last ``cells`` and
    ``source`` keys win, as in ``json.loads``)."""
    cells: List[Optional[_Span]] = []

    def on_source(key: str, i: int) -> int:
        if key != "source":
            return _skip_value(text, i)
        holder[-1] = None
        if text[i] == '"':
            end = scanstring(text, i + 1)[1]
            holder[-1] = _Span(i, end, False)
            return end
        if text[i] == "[":
            items: List[Tuple[int, int]] = []

            def on_item(_: int, j: int) -> int:
                end = scanstring(text, j + 1)[1] if text[j] == '"' else _skip_value(text, j)
                items.append((j, end))
                return end

            end = _array(text, i, on_item)
            holder[-1] = _Span(i, end, True, items)
            return end
        return _skip_value(text, i)

    holder: List[Optional[_Span]] = [None]

    def on_cell(_: int, i: int) -> int:
        holder[-1] = None
        end = _object(text, i, on_source) if text[i] == "{" else _skip_value(text, i)
        cells.append(holder[-1])
        return end

    def on_root(key: str, i: int) -> int:
        if key == "cells" and text[i] == "[":
            cells.clear()
            return _array(text, i, on_cell)
        return _skip_value(text, i)

    _object(text, _skip(text, 0), on_root)
    return cells


def _line_opcodes(old: List[str], new: List[str]) -> List[Tuple[str, int, int, int, int]]:
    """difflib's opcodes from ``old`` to ``new``, computed on what lies between their common first
    and last lines (fixes change little: this keeps big notebooks fast)."""
    n, m = len(old), len(new)
    lo = 0
    while lo < n and lo < m and old[lo] == new[lo]:
        lo += 1
    hi = 0
    while hi < n - lo and hi < m - lo and old[n - 1 - hi] == new[m - 1 - hi]:
        hi += 1
    from difflib import SequenceMatcher  # when fixing: not at start-up

    ops: List[Tuple[str, int, int, int, int]] = [("equal", 0, lo, 0, lo)] if lo else []
    matcher = SequenceMatcher(None, old[lo : n - hi], new[lo : m - hi], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append((tag, i1 + lo, i2 + lo, j1 + lo, j2 + lo))
    if hi:
        ops.append(("equal", n - hi, n, m - hi, m))
    return ops


# -- the notebook ----------------------------------------------------------------------------------
@dataclass
class _Cell:
    number: int  # 1-based among all cells, as Jupyter shows it
    source: str  # the original source, joined
    is_list: bool  # whether `source` is a list of strings in the file
    span: Optional[_Span]
    lines: List[str] = field(default_factory=list)  # original lines, the last one with `added`
    linted: List[str] = field(default_factory=list)  # the same lines as linted
    magic: List[bool] = field(default_factory=list)
    added: str = ""  # the newline added to end the cell in the text ("" if it had one)
    first_line: int = 0  # where the cell starts in Notebook.text (1-based)


class Notebook:
    """A Jupyter notebook (nbformat 4) as one Python text.

    Build it with :meth:`read`. Attributes: ``path`` (as given, or None), ``raw`` (the JSON text as
    read, without a BOM), ``encoding`` (``utf-8``, or ``utf-8-sig`` when the file had a BOM),
    ``data`` (the parsed JSON), ``text`` (the Python text to lint).
    """

    def __init__(self, raw: str, path: Optional[str] = None, encoding: str = "utf-8"):
        if raw.startswith("\ufeff"):  # text decoded without utf-8-sig
            raw, encoding = raw[1:], "utf-8-sig"
        self.path = path
        self.raw = raw
        self.encoding = encoding
        try:
            self.data = json.loads(raw)
        except json.JSONDecodeError as exc:
            message = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            raise NotebookError(message, exc.lineno, exc.colno)
        except RecursionError:
            raise NotebookError("not valid JSON: nested too deeply")
        self._validate()
        spans = _source_spans(raw)
        if len(spans) != len(self.data["cells"]):  # cannot happen with valid JSON; be safe
            raise NotebookError("cannot locate the cells in the JSON text")
        self._cells: List[_Cell] = []  # the cells in the text, in order
        self._newline = self._dominant_newline()
        parts: List[str] = []
        line = 1
        for index, (cell, span) in enumerate(zip(self.data["cells"], spans)):
            if not self._is_python_cell(cell):
                continue
            raw_source = cell.get("source", "")
            source = "".join(raw_source) if isinstance(raw_source, list) else raw_source
            lines = _split_lines(source)
            if not lines:
                continue
            python, magic_line = cell_kind(lines)
            if not python:
                continue
            linted, magic = placeholders(lines, magic_line)
            info = _Cell(index + 1, source, isinstance(raw_source, list), span, list(lines), linted, magic)
            if not line_ending(lines[-1]):
                info.added = line_ending(lines[0]) or self._newline
                info.lines[-1] += info.added
                info.linted[-1] += info.added
            info.first_line = line
            line += len(lines)
            parts.extend(info.linted)
            self._cells.append(info)
        self.text = "".join(parts)
        self._starts = [c.first_line for c in self._cells]
        self._raw_lines: Optional[List[int]] = None

    # -- reading -----------------------------------------------------------------------------------
    @classmethod
    def read(cls, source: Union[str, bytes, "os.PathLike[str]"], path: Optional[str] = None) -> "Notebook":
        """A notebook from a path, or from its JSON text (a str whose first non-blank character is
        ``{`` or ``[``, or bytes). ``path`` names a notebook given as text. Raises :class:`NotebookError`."""
        if isinstance(source, (bytes, bytearray)):
            return cls.from_bytes(bytes(source), path)
        if isinstance(source, str) and source.lstrip("\ufeff \t\r\n")[:1] in ("{", "["):
            return cls(source, path)
        return cls.from_path(os.fspath(source))

    @classmethod
    def from_path(cls, path: str) -> "Notebook":
        try:
            data = read_bytes(path, MAX_NOTEBOOK_BYTES)
        except SourceError as exc:
            raise NotebookError(str(exc))
        return cls.from_bytes(data, path)

    @classmethod
    def from_bytes(cls, data: bytes, path: Optional[str] = None) -> "Notebook":
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise NotebookError(f"not UTF-8: {exc.reason} at byte {exc.start}")
        return cls(text, path, encoding)

    def encode(self, text: str) -> bytes:
        """``text`` (from :meth:`write_fixed`) as the bytes to write, with the file's BOM if any."""
        return text.encode(self.encoding)

    def _validate(self) -> None:
        data = self.data
        if not isinstance(data, dict):
            raise NotebookError("not a Jupyter notebook: the JSON is not an object")
        if "worksheets" in data and "cells" not in data:
            raise NotebookError(
                "not supported: an nbformat 3 notebook (convert it with `jupyter nbconvert --to notebook`)"
            )
        major = data.get("nbformat")
        if isinstance(major, int) and not isinstance(major, bool) and major < 4:
            raise NotebookError(f"not supported: nbformat {major} (only nbformat 4 notebooks are)")
        cells = data.get("cells")
        if not isinstance(cells, list):
            raise NotebookError("not a Jupyter notebook: no `cells` list")
        for number, cell in enumerate(cells, 1):
            if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
                raise NotebookError(f"not a Jupyter notebook: cell {number} has no `cell_type`")
            source = cell.get("source", "")
            if not isinstance(source, str) and not (
                isinstance(source, list) and all(isinstance(part, str) for part in source)
            ):
                raise NotebookError(f"not a Jupyter notebook: the `source` of cell {number} is not text")

    @staticmethod
    def _is_python_cell(cell: Dict[str, Any]) -> bool:
        if cell.get("cell_type") != "code":
            return False
        metadata = cell.get("metadata")
        vscode = metadata.get("vscode") if isinstance(metadata, dict) else None
        language = vscode.get("languageId") if isinstance(vscode, dict) else None
        return language is None or language == "python"

    def _dominant_newline(self) -> str:
        for cell in self.data["cells"]:
            source = cell.get("source", "")
            match = _NEWLINE.search("".join(source) if isinstance(source, list) else source)
            if match:
                return match.group(0)
        return "\n"

    @property
    def language(self) -> Optional[str]:
        """The language the metadata names (language_info.name, else kernelspec.language), or None."""
        metadata = self.data.get("metadata")
        if not isinstance(metadata, dict):
            return None
        for key, field_name in (("language_info", "name"), ("kernelspec", "language")):
            section = metadata.get(key)
            value = section.get(field_name) if isinstance(section, dict) else None
            if isinstance(value, str) and value:
                return value
        return None

    @property
    def is_python(self) -> bool:
        """False when the notebook's metadata names another language (language_info.name or
        kernelspec.language); True when it says Python or says nothing. A notebook that is not
        Python is not linted (as Ruff skips it)."""
        language = self.language
        return language is None or language.lower() == "python"

    @property
    def cell_count(self) -> int:
        return len(self.data["cells"])

    @property
    def python_cells(self) -> List[int]:
        """The numbers of the cells that are in :attr:`text`."""
        return [c.number for c in self._cells]

    def source_file(self) -> SourceFile:
        """The text to lint, as a SourceFile named by ``path``. Write fixes back with
        ``encode(write_fixed(...))``, never with the SourceFile's own ``encode``."""
        return SourceFile(path=self.path or "<notebook>", text=self.text, encoding="utf-8")

    # -- locations ---------------------------------------------------------------------------------
    def _cell_at(self, line: int) -> Optional[_Cell]:
        if not self._cells:
            return None
        return self._cells[max(0, bisect.bisect_right(self._starts, line) - 1)]

    def location(self, line: int, column: int) -> Tuple[int, int, int]:
        """(cell number, row in the cell, column) of a 1-based row and column of :attr:`text`.
        A row past the end maps to the last line of the last cell."""
        cell = self._cell_at(line)
        if cell is None:
            return 1, max(1, line), column
        row = min(max(1, line - cell.first_line + 1), len(cell.lines))
        return cell.number, row, column

    def cell_start(self, number: int) -> Optional[int]:
        """The row of :attr:`text` where cell ``number`` (1-based, among all the cells) begins;
        None for a cell that is not in the text (markdown, another language, empty)."""
        return next((c.first_line for c in self._cells if c.number == number), None)

    def cell_of(self, line: int) -> int:
        return self.location(line, 1)[0]

    def display_location(self, line: int, column: int) -> str:
        """``cell 4:3:1`` for a row and column of :attr:`text`."""
        cell, row, col = self.location(line, column)
        return f"cell {cell}:{row}:{col}"

    def format_location(self, line: int, column: int, path: Optional[str] = None) -> str:
        """``train.ipynb:cell 4:3:1`` (``path`` defaults to the notebook's path)."""
        cell, row, col = self.location(line, column)
        return format_location(path if path is not None else (self.path or "<notebook>"), cell, row, col)

    def file_line(self, line: int) -> Optional[int]:
        """The 1-based line of the .ipynb file that holds row ``line`` of :attr:`text` (the line of
        its string in the cell's ``source`` list, or of the ``source`` string). None if unknown."""
        cell = self._cell_at(line)
        if cell is None or cell.span is None:
            return None
        row = min(max(1, line - cell.first_line + 1), len(cell.lines))
        position = cell.span.start
        if cell.span.is_list and cell.span.items:
            # The item in which the row starts: compare the row's offset in the joined source with
            # the items' offsets.
            offset = ([0] + [m.end() for m in _NEWLINE.finditer(cell.source)])[row - 1]
            total = 0
            for start, end in cell.span.items:
                position = start
                total += len(json.loads(self.raw[start:end]))
                if total > offset:
                    break
        if self._raw_lines is None:
            self._raw_lines = [0] + [m.end() for m in _NEWLINE.finditer(self.raw)]
        return bisect.bisect_right(self._raw_lines, position)

    # -- fixes -------------------------------------------------------------------------------------
    def _insertion_cell(self, at: int, owners: List[Tuple[int, int]]) -> int:
        """The cell (position in ``_cells``) that lines inserted before line ``at`` (0-based) of the
        text join: the cell of the line before them (so an import added after the last line of a
        cell stays with it, as in Ruff), or the first cell when inserted at the very top."""
        return owners[at - 1][0] if at > 0 else owners[0][0]

    def fixed_sources(self, fixed_text: str) -> Dict[int, str]:
        """The new source of every cell that ``fixed_text`` (the fixed :attr:`text`) changes, by
        cell number. Raises :class:`NotebookError` when a fix changed an IPython placeholder line."""
        if fixed_text == self.text or not self._cells:
            return {}
        original = [line for cell in self._cells for line in cell.linted]
        owners = [(pos, row) for pos, cell in enumerate(self._cells) for row in range(len(cell.lines))]
        new = _split_lines(fixed_text)
        out: List[List[str]] = [[] for _ in self._cells]
        for tag, i1, i2, j1, j2 in _line_opcodes(original, new):
            if tag == "equal":
                for k in range(i2 - i1):
                    pos, row = owners[i1 + k]
                    out[pos].append(self._cells[pos].lines[row])
                continue
            for k in range(i1, i2):
                pos, row = owners[k]
                if self._cells[pos].magic[row]:
                    raise NotebookError(
                        f"a fix changed an IPython line of cell {self._cells[pos].number} "
                        f"(row {row + 1}): the notebook was left unchanged"
                    )
            added = new[j1:j2]
            if tag == "delete":
                continue
            if tag == "insert":
                out[self._insertion_cell(i1, owners)].extend(added)
                continue
            # replace: lines that stay within one cell go to it; across cells, line for line when
            # the counts match, else each cell takes as many as it had (the last one the rest).
            touched: List[int] = []
            for k in range(i1, i2):
                if owners[k][0] not in touched:
                    touched.append(owners[k][0])
            if len(touched) == 1:
                out[touched[0]].extend(added)
            elif i2 - i1 == j2 - j1:
                for k in range(i2 - i1):
                    out[owners[i1 + k][0]].append(added[k])
            else:
                taken = 0
                for n, pos in enumerate(touched):
                    if n == len(touched) - 1:
                        out[pos].extend(added[taken:])
                    else:
                        count = sum(1 for k in range(i1, i2) if owners[k][0] == pos)
                        out[pos].extend(added[taken : taken + count])
                        taken += count
        changed: Dict[int, str] = {}
        for cell, lines in zip(self._cells, out):
            source = "".join(lines)
            if cell.added and source.endswith(cell.added):
                source = source[: len(source) - len(cell.added)]
            if source != cell.source:
                changed[cell.number] = source
        return changed

    def _ensure_ascii(self) -> bool:
        if not self.raw.isascii():
            return False
        return any(int(m.group(1), 16) > 127 for m in re.finditer(r"\\u([0-9a-fA-F]{4})", self.raw))

    def _render_source(self, cell: _Cell, source: str, ensure_ascii: bool) -> str:
        span = cell.span
        assert span is not None
        if not span.is_list:
            return json.dumps(source, ensure_ascii=ensure_ascii)
        reuse: Dict[str, str] = {}
        for start, end in span.items:
            reuse.setdefault(json.loads(self.raw[start:end]), self.raw[start:end])
        items = [reuse.get(line) or json.dumps(line, ensure_ascii=ensure_ascii) for line in _split_lines(source)]
        if not items:
            return "[]"
        original = self.raw[span.start : span.end]
        own_line = [
            self.raw[self.raw.rfind("\n", 0, start) + 1 : start]
            for start, _ in span.items
            if not self.raw[self.raw.rfind("\n", 0, start) + 1 : start].strip()
        ]
        if own_line and _NEWLINE.search(original):
            item_indent = own_line[0]
            close = span.end - 1
            close_indent = self.raw[self.raw.rfind("\n", 0, close) + 1 : close]
            if close_indent.strip():  # the bracket follows the last item on its line
                close_indent = None
            newline = "\r\n" if "\r\n" in original else "\n"
            body = ",".join(newline + item_indent + item for item in items)
            return "[" + body + (newline + close_indent if close_indent is not None else "") + "]"
        # The separator between items: this list's, else that of another list of lines.
        separator = ", "
        for other in [span] + [c.span for c in self._cells if c.span is not None]:
            if other.is_list and len(other.items) >= 2:
                separator = self.raw[other.items[0][1] : other.items[1][0]]
                break
        before = self.raw[span.start + 1 : span.items[0][0]] if span.items else ""
        after = self.raw[span.items[-1][1] : span.end - 1] if span.items else ""
        return "[" + before + separator.join(items) + after + "]"

    def write_fixed(self, fixed_text: str) -> str:
        """The notebook's JSON text with ``fixed_text`` (the fixed :attr:`text`) put back into its
        cells. Only the ``source`` values of changed cells are rewritten, in the form they had (a
        list of lines or one string; list items laid out as the original ones, unchanged lines kept
        with their original escaping); everything else is kept byte for byte. Returns :attr:`raw`
        itself when nothing changed. Encode the result with :meth:`encode`.

        Lines inserted by a fix go to the cell of the line they follow (an import added after the
        last line of cell 1 stays in cell 1); lines inserted at the very top go to the first code
        cell. IPython lines are restored exactly; a fix that changed one raises NotebookError.
        """
        changed = self.fixed_sources(fixed_text)
        if not changed:
            return self.raw
        ensure_ascii = self._ensure_ascii()
        by_number = {cell.number: cell for cell in self._cells}
        text = self.raw
        for number in sorted(changed, key=lambda n: by_number[n].span.start, reverse=True):
            cell = by_number[number]
            rendered = self._render_source(cell, changed[number], ensure_ascii)
            text = text[: cell.span.start] + rendered + text[cell.span.end :]
        return text

    def diff(self, fixed_text: str, path: Optional[str] = None) -> str:
        """A unified diff per changed cell, headed ``--- a/PATH:cell N`` / ``+++ b/PATH:cell N``."""
        name = path if path is not None else (self.path or "<notebook>")
        from difflib import unified_diff

        by_number = {cell.number: cell for cell in self._cells}
        out: List[str] = []
        for number, source in sorted(self.fixed_sources(fixed_text).items()):
            old = _split_lines(by_number[number].source)
            new = _split_lines(source)
            for lines in (old, new):
                if lines and not line_ending(lines[-1]):
                    lines[-1] += "\n"
            out.extend(unified_diff(old, new, fromfile=f"a/{name}:cell {number}", tofile=f"b/{name}:cell {number}"))
        return "".join(out)
