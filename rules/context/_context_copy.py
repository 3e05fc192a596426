"""Which COPY/ADD sources come from the build context, and which bring in a whole tree.

Shared by the rules about the context. A source counts only when dflint knows what it
names: ``--from`` copies, heredoc sources, URLs and git sources (ADD) and words whose
variables cannot be resolved are left out. Paths are cleaned as BuildKit cleans them
(``./a``, ``/a`` and ``b/../a`` all name ``a``; ``.`` is the whole context).
"""

from __future__ import annotations

from bisect import bisect_left

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model import Model
from dflint.model.ignore import (
    IgnoreRules,
    PatternError,
    clean_source,
    go_glob_regex,
    has_wildcards,
    parse_patterns,
    split_wildcards,
)
from dflint.records import record

# ADD fetches these instead of reading the context (BuildKit: HTTP sources and git
# references); COPY rejects them, so they never name context files either way.
_REMOTE = lazy(r"[A-Za-z][A-Za-z0-9+.-]*://|git@|github\.com/")


@record
class ContextSource:
    """A COPY/ADD source read from the build context."""

    word: ast.Word
    path: str  # expanded and cleaned, context-relative; "." is the whole context
    # `COPY --parents` only: where the copy starts, the part before `/./` ("." without
    # one), cleaned; the source's paths below it keep their parent directories.
    pivot: str | None = None

    @property
    def whole_context(self) -> bool:
        """``.``, ``./``, ``/``, ``*``, ``./*``, ...: every top-level entry of the context.

        Go's ``filepath.Match`` has no ``**``: it is ``*`` twice, still one level.
        """
        return self.path == "." or set(self.path) == {"*"}

    @property
    def wildcard(self) -> bool:
        return has_wildcards(self.path)


def _keeps_parents(node: ast.Copy) -> bool:
    """``--parents`` or ``--parents=true`` (a bool flag; BuildKit rejects other values)."""
    return any(
        flag.name.lower() == "parents" and (flag.value is None or flag.value.lower() == "true")
        for flag in node.flags
    )


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
    parents = _keeps_parents(node)
    found: list[ContextSource] = []
    for word in node.sources:
        if word.span in heredocs:
            continue
        text = model.expand(word.value if node.json else word, at=node).text
        if not text or _REMOTE.match(text):
            continue
        pivot = None
        if parents:  # BuildKit cuts the source at its first `/./`
            before, cut, _ = text.partition("/./")
            pivot = clean_source(before) if cut else "."
        found.append(ContextSource(word, clean_source(text), pivot))
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


def copy_root(source: str, path: str) -> str | None:
    """The entry that ``source`` names and that is ``path`` or holds it, or ``None``.

    ``source`` is cleaned and context-relative; the entry is ``source`` itself or, for a
    wildcard, the one of its matches above ``path`` (``.`` holds every path). BuildKit
    walks the directory before the first wildcard and takes the first entry on the way
    down that matches, without looking inside it, so that is the shortest such prefix.
    """
    if source == ".":
        return "."
    if not has_wildcards(source):
        return source if path == source or path.startswith(source + "/") else None
    base, pattern = split_wildcards(source)
    prefix = base + "/" if base else ""
    if not path.startswith(prefix):
        return None
    try:
        glob = go_glob_regex(pattern)
    except PatternError:
        return None  # BuildKit ignores filepath.Match's error: nothing matches
    parts = path[len(prefix) :].split("/")
    for end in range(1, len(parts) + 1):
        entry = "/".join(parts[:end])
        if glob.fullmatch(entry):
            return prefix + entry
    return None


@record
class Excludes:
    """The ``--exclude`` patterns of a COPY/ADD (dockerfile 1.7+)."""

    rules: IgnoreRules

    def excludes(self, source: ContextSource, path: str) -> bool:
        """Whether ``path`` (context-relative) is left out of what ``source`` copies.

        BuildKit resolves a source to the entries it names (itself, or each match of a
        wildcard) and copies each entry on its own. Only the paths *inside* an entry are
        judged, relative to that entry, directory by directory from the top with the
        matcher of ``.dockerignore`` (``**``, ``!`` exceptions, a later pattern wins):

        - ``.``: relative to the context root (``--exclude=.env`` leaves out ``.env``
          but not ``app/.env``);
        - a directory, named or matched by a wildcard (``conf/``, ``c*``): relative to
          that directory (``--exclude=*.pem conf/`` leaves out ``conf/a.pem``);
        - the entry itself is never judged: a file named as the source, or matched by a
          wildcard (``.env`` for ``*``), is copied whatever the patterns say.

        With ``--parents`` the copy starts at the source's pivot (the context root, or
        the directory before ``/./``), so the paths are relative to the pivot instead.
        """
        if not self.rules.patterns:
            return False
        # tonistiigi/fsutil copy/copy.go: Copy walks each entry from an empty relative
        # path and only a non-empty one meets the patterns; solver/llbsolver/file/
        # backend.go (docopy) calls Copy once per wildcard match.
        root = copy_root(source.path if source.pivot is None else source.pivot, path)
        if root is None or root == path:
            return False
        return self._excluded(path if root == "." else path[len(root) + 1 :])

    def misses_match(self, source: ContextSource, path: str) -> bool:
        """Whether ``path`` is a match of the wildcard ``source`` itself that the patterns
        would leave out if they applied to it (relative to the wildcard's directory): an
        ``--exclude`` written for it that BuildKit does not apply (``COPY --exclude=.env *``)."""
        if not self.rules.patterns or not source.wildcard or source.pivot is not None:
            return False
        if copy_root(source.path, path) != path:
            return False
        base, _ = split_wildcards(source.path)
        return self._excluded(path[len(base) + 1 :] if base else path)

    def _excluded(self, relative: str) -> bool:
        """The verdict on ``relative`` after its directories, each given its parent's
        result (moby's ``MatchesUsingParentResults``, as fsutil's walk calls it)."""
        parts = relative.split("/")
        info = self.rules.evaluate(parts[0], None)
        for end in range(2, len(parts) + 1):
            info = self.rules.evaluate("/".join(parts[:end]), info)
        return info.decider is not None and not self.rules.patterns[info.decider].exclusion


def copy_excludes(node: ast.Copy, model: Model) -> Excludes:
    """``--exclude`` values of ``node`` with ARGs expanded (unresolvable ones dropped)."""
    patterns: list[str] = []
    for flag in node.flags:
        if flag.name.lower() == "exclude" and flag.value:
            text = model.expand(flag.value, at=node).text
            if text:
                patterns.append(text)
    return Excludes(parse_patterns(patterns))
