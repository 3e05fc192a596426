"""Which COPY/ADD sources come from the build context, and which bring in a whole tree.

Shared by the rules about the context. A source counts only when dflint knows what it
names: ``--from`` copies, heredoc sources, URLs and git sources (ADD) and words whose
variables cannot be resolved are left out. Paths are cleaned as BuildKit cleans them
(``./a``, ``/a`` and ``b/../a`` all name ``a``; ``.`` is the whole context).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from dflint import ast
from dflint.model import Model
from dflint.model.ignore import IgnoreRules, clean_source, has_wildcards, parse_dockerignore
from dflint.records import record

# ADD fetches these instead of reading the context (BuildKit: HTTP sources and git
# references); COPY rejects them, so they never name context files either way.
_REMOTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|git@|github\.com/")


@record
class ContextSource:
    """A COPY/ADD source read from the build context."""

    word: ast.Word
    path: str  # expanded and cleaned, context-relative; "." is the whole context

    @property
    def whole_context(self) -> bool:
        """``.``, ``./``, ``/``, ``*``, ``./*``, ...: every top-level entry of the context.

        Go's ``filepath.Match`` has no ``**``: it is ``*`` twice, still one level.
        """
        return self.path == "." or set(self.path) == {"*"}

    @property
    def wildcard(self) -> bool:
        return has_wildcards(self.path)


def reads_context(node: ast.Copy) -> bool:
    """Whether the instruction's sources come from the build context (no ``--from``)."""
    return not any(flag.name.lower() == "from" for flag in node.flags)


def context_sources(node: ast.Copy, model: Model) -> tuple[ContextSource, ...]:
    """The sources of ``node`` that name paths of the build context, in order."""
    return model.memo(("context_sources", node.span.start), lambda m: _context_sources(node, m))


def _context_sources(node: ast.Copy, model: Model) -> tuple[ContextSource, ...]:
    if not reads_context(node):
        return ()
    heredocs = {heredoc.span for heredoc in node.heredocs}
    found: list[ContextSource] = []
    for word in node.sources:
        if word.span in heredocs:
            continue
        text = model.expand(word.value if node.json else word, at=node).text
        if not text or _REMOTE.match(text):
            continue
        found.append(ContextSource(word, clean_source(text)))
    return tuple(found)


def whole_context_sources(node: ast.Copy, model: Model) -> list[ast.Word]:
    """Source words of ``node`` that copy the whole build context."""
    return [s.word for s in context_sources(node, model) if s.whole_context]


def broad_sources(node: ast.Copy, model: Model) -> list[ContextSource]:
    """Sources that copy the whole context or a directory tree of it.

    A source is a directory tree when the build context lists it (or a wildcard match of
    it) as a directory, or, with no context known, when it is written with a trailing
    ``/`` (``src/``).
    """
    return list(model.memo(("broad_sources", node.span.start), lambda m: _broad(node, m)))


def _broad(node: ast.Copy, model: Model) -> tuple[ContextSource, ...]:
    context = model.context
    out: list[ContextSource] = []
    for source in context_sources(node, model):
        if source.whole_context:
            out.append(source)
        elif context is None:
            if _written_as_directory(source.word, node, model):
                out.append(source)
        elif any(_is_directory(context.listing.directories, m) for m in context.glob(source.path)):
            out.append(source)
    return tuple(out)


def _written_as_directory(word: ast.Word, node: ast.Copy, model: Model) -> bool:
    text = model.expand(word.value if node.json else word, at=node).text or ""
    return text.endswith("/") and not has_wildcards(text)


def _is_directory(directories: tuple[str, ...], path: str) -> bool:
    i = bisect_left(directories, path)
    return i < len(directories) and directories[i] == path


@record
class Excludes:
    """The ``--exclude`` patterns of a COPY/ADD (dockerfile 1.7+)."""

    rules: IgnoreRules

    def excludes(self, source: ContextSource, path: str) -> bool:
        """Whether ``path`` (context-relative) is left out of what ``source`` copies.

        The patterns apply to paths below the copied directory, so only ``.`` and plain
        directory sources are judged; a wildcard source never counts as excluding.
        """
        if not self.rules.patterns or source.wildcard:
            return False
        if source.path == ".":
            relative = path
        elif path.startswith(source.path + "/"):
            relative = path[len(source.path) + 1 :]
        else:
            return False
        decider = self.rules.evaluate(relative, None).decider
        return decider is not None and not self.rules.patterns[decider].exclusion


def copy_excludes(node: ast.Copy, model: Model) -> Excludes:
    """``--exclude`` values of ``node`` with ARGs expanded (unresolvable ones dropped)."""
    patterns: list[str] = []
    for flag in node.flags:
        if flag.name.lower() == "exclude" and flag.value:
            text = model.expand(flag.value, at=node).text
            if text and not text.startswith("#"):
                patterns.append(text)
    return Excludes(parse_dockerignore("\n".join(patterns)))
