"""The work done on one file by itself: parse it, build its facts, run the rules that need nothing
else, and keep what the project rules will need (its tree and facts, with the flow summary).

This is the unit that runs in a worker process (tipcheck.pool) and that the cache stores
(tipcheck.cache). The tree travels between processes pickled and is stored as plain data
(tipcheck.treedata: the cache folder is in the repository, so nothing read from it may run code);
either is several times faster to read back than parsing again. Everything here is a plain
function of the file's path, text and rules. The parser and the rules are imported when a file is
analysed, not with this module: the cache (tipcheck.cachedata) reads a FileAnalysis without them.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any, List, Optional, Sequence, Tuple

from tipcheck.codes import TOO_COMPLEX
from tipcheck.diagnostics import Diagnostic, InternalError
from tipcheck.source import SourceFile


@dataclass
class Task:
    """One file to analyse, as sent to a worker."""

    path: str
    text: str
    encoding: str
    codes: Tuple[str, ...]  # the rules to run on it (file rules now, project rules later)
    send_tree: bool = False  # the tree goes to another process: return it as bytes, not objects
    wants_tree: bool = False  # project rules will read its tree
    encode_tree: bool = False  # with send_tree: as the cache keeps it (tipcheck.treedata), not pickled
    # The file's last text and tree in this process (tipcheck.memo), to parse again only what an
    # edit changed (tipcheck.reparse); never sent to a worker.
    previous: Optional[Tuple[str, Any]] = None
    # What the facts keep from run to run in this process (tipcheck.facts.kept, the memo's); never
    # sent to a worker.
    kept: Any = None


@dataclass
class FileAnalysis:
    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)  # from the file rules
    errors: List[InternalError] = field(default_factory=list)
    parsed: bool = False
    # For project rules: (module, ModuleFacts with its flow summary built), when analysed here.
    tree: Optional[Tuple[Any, Any]] = None
    # The same pickled, from a worker process (see loaded_tree).
    pickled_tree: Optional[bytes] = None
    # The same as plain data (tipcheck.treedata), for the cache: from a worker, or read from the cache.
    encoded_tree: Optional[bytes] = None

    def loaded_tree(self):
        """The (module, facts) pair, unpickled or rebuilt from its data when needed; None when
        there is none (or its data is not a tree: tipcheck.treedata.InvalidData)."""
        if self.tree is None and self.pickled_tree is not None:
            import pickle

            self.tree = pickle.loads(self.pickled_tree)  # from our own worker process, never from disk
            self.pickled_tree = None
        elif self.tree is None and self.encoded_tree is not None:
            from tipcheck.treedata import InvalidData, decode_tree

            try:
                self.tree = decode_tree(self.encoded_tree)
            except InvalidData:
                pass
            self.encoded_tree = None
        return self.tree


def analyse(task: Task) -> FileAnalysis:
    """Parse, build facts, run the file rules; build the flow summary when project rules need it."""
    from tipcheck.context import RuleContext
    from tipcheck.parsing import parse_source, too_complex
    from tipcheck.rules import RULES_BY_CODE

    source = SourceFile(path=task.path, text=task.text, encoding=task.encoding)
    result = FileAnalysis(task.path)
    rules = [RULES_BY_CODE[code] for code in task.codes]
    if task.previous is None:
        parsed = parse_source(source, result)
    else:  # an edit of a file analysed before in this process (tipcheck.memo)
        parsed = parse_source(source, result, task.previous)
    if parsed is None:
        return result
    module, facts = parsed
    result.parsed = True
    ctx = RuleContext(source, module, facts)
    ctx.kept = task.kept
    run_rules(ctx, [rule for rule in rules if not rule.project], result)
    result.diagnostics = ctx.diagnostics
    if any(rule.project for rule in rules):
        try:
            facts.flow(source.path, source.text)
        except RecursionError:
            result.diagnostics.append(too_complex(source))
            return result
        except Exception as exc:
            result.errors.append(InternalError(source.path, None, f"analysis failed: {exc!r}", traceback.format_exc()))
            return result
        tree = (module, facts)
        if not task.send_tree:
            result.tree = tree
        else:  # for another process
            if task.encode_tree:  # which will keep it in the cache: send it in the cache's format
                result.encoded_tree = tree_data(tree)
            if result.encoded_tree is None:
                result.pickled_tree = pickle_tree(tree)  # None: too deep, parsed again there
    return result


def pickle_tree(tree) -> Optional[bytes]:
    """The tree and facts pickled, or None when the tree is too deep to pickle (the project step
    then parses the file again)."""
    import pickle

    try:
        return pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL)
    except (RecursionError, pickle.PicklingError, TypeError, AttributeError):
        return None


def tree_data(tree) -> Optional[bytes]:
    """The tree and facts as plain data for the cache (tipcheck.treedata), or None when they
    hold something that format does not carry (the project step then parses the file again)."""
    from tipcheck.treedata import Unencodable, encode

    try:
        return encode(tree)
    except (Unencodable, AttributeError):  # AttributeError: a field never set
        return None


def run_rules(ctx, rules: Sequence, result: FileAnalysis) -> None:
    """Run rules on one file's context; a rule that crashes loses its findings and is recorded."""
    for rule in rules:
        ctx.set_rule(rule)
        before = len(ctx.diagnostics)
        try:
            rule.check(ctx)
        except RecursionError:
            # Nesting deeper than the stack allows (tipcheck.limits): the file is not fully checked,
            # and says so once, rather than an internal error.
            del ctx.diagnostics[before:]
            if not any(d.code == TOO_COMPLEX for d in ctx.diagnostics):
                from tipcheck.parsing import too_complex

                ctx.diagnostics.append(too_complex(ctx.source))
        except Exception as exc:
            del ctx.diagnostics[before:]
            result.errors.append(InternalError(ctx.source.path, rule.code, repr(exc), traceback.format_exc()))
