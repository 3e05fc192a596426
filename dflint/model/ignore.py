"""Patterns and ignore files: Go globs and ``.dockerignore``, as ``docker build`` reads them.

* the ignore file is ``<Dockerfile name>.dockerignore`` next to the Dockerfile when it
  exists, else ``<context>/.dockerignore``;
* the ignore file is read like moby's ``ignorefile.ReadAll`` (BOM stripped, ``#`` in
  column 1 is a comment, whitespace trimmed, ``filepath.Clean``, leading ``/`` dropped)
  and its patterns are matched like moby/patternmatcher's ``MatchesUsingParentResults``,
  which is what BuildKit's context transfer (fsutil) uses;
* COPY/ADD source wildcards are Go's ``filepath.Match`` (:func:`go_glob_regex`);
* ``COPY --exclude`` values go to the same matcher without the ignore-file reading
  (:func:`parse_patterns`).

Reading the ignore file is bounded (``MAX_IGNORE_FILE_BYTES``) and follows no symlink;
matching against the files of a context is :mod:`dflint.model.context`'s.
"""

from __future__ import annotations

import enum
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import field
from pathlib import Path

from dflint.records import record
from dflint.source import GO_SPACE

MAX_IGNORE_FILE_BYTES = 1024 * 1024
# bufio.Scanner's default token size: Docker fails on a longer line.
_MAX_IGNORE_LINE = 64 * 1024
# Go's unicode.IsSpace, which strings.TrimSpace uses (Python's str.strip also strips
# the \x1c-\x1f separators, which Go keeps).

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # never block on a FIFO in the context
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


# ---------------------------------------------------------------------------------------
# Path cleaning and Go glob syntax


def go_clean(path: str) -> str:
    """Go's ``path.Clean``: the shortest equivalent path, ``.`` for an empty one."""
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


class PatternError(ValueError):
    """A glob that Go's ``filepath.Match`` (or moby's regexp) rejects."""


def _class_char(pattern: str, i: int) -> tuple[str, int]:
    # Go's getEsc: a range end may be escaped, may not be `-` or `]`, and must be
    # followed by more pattern (at least the closing `]`).
    if i >= len(pattern):
        raise PatternError("unterminated character class")
    if pattern[i] in "-]":
        raise PatternError("malformed character class")
    if pattern[i] == "\\":
        i += 1
        if i >= len(pattern):
            raise PatternError("unterminated character class")
    char = pattern[i]
    if i + 1 >= len(pattern):
        raise PatternError("unterminated character class")
    return char, i + 1


def _parse_class(pattern: str, i: int) -> tuple[str, int]:
    """Translate the ``[...]`` at ``pattern[i]``; returns a Python class and the next index.

    Inside a class ``*``, ``?`` and ``\\x`` are literal members as in ``filepath.Match``
    (moby's regexp translation mangles ``*`` there; nobody relies on that).
    """
    i += 1
    negated = i < len(pattern) and pattern[i] == "^"
    if negated:
        i += 1
    items: list[str] = []
    while True:
        if i < len(pattern) and pattern[i] == "]" and items:
            return "[" + ("^" if negated else "") + "".join(items) + "]", i + 1
        low, i = _class_char(pattern, i)
        high = low
        if pattern[i] == "-":
            high, i = _class_char(pattern, i + 1)
        if low > high:
            # filepath.Match accepts it, but moby's regexp fails to compile: the build
            # errors out, so report it.
            raise PatternError(f"character range {low}-{high} is out of order")
        items.append(re.escape(low) if low == high else f"{re.escape(low)}-{re.escape(high)}")


# Tokens of a translated glob, each with its regexp fragment.
_ONE = 0  # one character: a literal, `?` or a class
_STAR = 1  # `*`: [^/]*
_ANY = 2  # a trailing `**` after other pattern: .*
_DIRS = 3  # `**/` or an inner `**`: (?:.*/)?
_ANCHOR = 4  # moby's unescaped `^`: matches only at the start
# With this many unbounded repetitions or fewer, Python's backtracking costs at most
# O(n**2 * m) (a hundredth of a second for a 4096-character path); with more it grows
# as n**k, where Go's regexp is linear.
_MAX_BACKTRACKING_LOOPS = 2


@record
class Glob:
    """A compiled glob. Matching is ``re`` when its backtracking is bounded, else an NFA
    simulation in O(len(path) * len(pattern)) that gives the same answers."""

    regex: re.Pattern[str]
    tokens: tuple[tuple[int, re.Pattern[str] | None], ...] = field(repr=False)
    linear: bool = field(repr=False)

    @classmethod
    def build(cls, parts: list[tuple[int, str]]) -> Glob:
        regex = re.compile("".join(fragment for _, fragment in parts))
        tokens = tuple(
            (kind, re.compile(fragment) if kind == _ONE else None) for kind, fragment in parts
        )
        loops = sum(1 for kind, _ in parts if kind in (_STAR, _ANY, _DIRS))
        return cls(regex, tokens, loops > _MAX_BACKTRACKING_LOOPS)

    def fullmatch(self, text: str) -> bool:
        if not self.linear:
            return self.regex.fullmatch(text) is not None
        return self._simulate(text)

    def _simulate(self, text: str) -> bool:
        # State 2*i: before token i (2*len(tokens) accepts); 2*i+1: inside the `.*` of
        # the _DIRS token i, before its `/`.
        tokens = self.tokens
        end = len(tokens)
        states = self._closure({0}, True)
        for char in text:
            following: set[int] = set()
            for state in states:
                i = state // 2  # an inside state reads as its _DIRS token does
                if i == end:
                    continue
                kind, one = tokens[i]
                if kind == _ONE:
                    assert one is not None
                    if one.fullmatch(char):
                        following.add(2 * i + 2)
                elif kind == _STAR:
                    if char != "/":
                        following.add(state)
                elif kind == _ANY:
                    if char != "\n":
                        following.add(state)
                elif kind == _DIRS:
                    if char == "/":
                        following.add(2 * i + 2)
                    if char != "\n":
                        following.add(2 * i + 1)
            if not following:
                return False
            states = self._closure(following, False)
        return 2 * end in states

    def _closure(self, states: set[int], at_start: bool) -> set[int]:
        """Add the states reachable without reading: past skippable tokens."""
        tokens = self.tokens
        pending = list(states)
        while pending:
            state = pending.pop()
            i, inside = divmod(state, 2)
            if inside or i == len(tokens):
                continue
            kind = tokens[i][0]
            skippable = kind in (_STAR, _ANY, _DIRS) or (kind == _ANCHOR and at_start)
            if skippable and 2 * i + 2 not in states:
                states.add(2 * i + 2)
                pending.append(2 * i + 2)
        return states


def go_glob_regex(pattern: str) -> Glob:
    """Compile a Go ``filepath.Match`` pattern (``*``, ``?``, ``[...]``, ``\\``)."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append((_STAR, "[^/]*"))
        elif char == "?":
            out.append((_ONE, "[^/]"))
        elif char == "[":
            cls, i = _parse_class(pattern, i)
            out.append((_ONE, cls))
            continue
        elif char == "\\":
            if i + 1 >= len(pattern):
                raise PatternError("trailing backslash")
            i += 1
            out.append((_ONE, re.escape(pattern[i])))
        else:
            out.append((_ONE, re.escape(char)))
        i += 1
    return Glob.build(out)


def has_wildcards(source: str) -> bool:
    """BuildKit's ``containsWildcards``: an unescaped ``*``, ``?`` or ``[``."""
    i = 0
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] in "*?[":
            return True
        i += 1
    return False


def split_wildcards(source: str) -> tuple[str, str]:
    """fsutil's ``splitWildcards`` for a cleaned source with wildcards: the directory
    before the first component with a wildcard (``""`` for the root) and the pattern
    from that component on, which the entries below the directory are matched against."""
    parts = source.split("/")
    split = next(i for i, part in enumerate(parts) if has_wildcards(part))
    return "/".join(parts[:split]), "/".join(parts[split:])


def clean_source(source: str) -> str:
    """A COPY/ADD source as a context-relative path (``.`` for the whole context).

    BuildKit resolves sources inside the context root, so ``/a``, ``./a`` and ``../a``
    all name ``a``.
    """
    return go_clean("/" + source)[1:] or "."


# ---------------------------------------------------------------------------------------
# .dockerignore


class _Kind(enum.Enum):
    EXACT = "exact"
    PREFIX = "prefix"
    SUFFIX = "suffix"
    REGEX = "regex"


def _compile_moby(pattern: str) -> tuple[_Kind, Glob | None]:
    """moby/patternmatcher's ``Pattern.compile``: the match kind and, for REGEX, the regexp."""
    kind = _Kind.EXACT
    out: list[tuple[int, str]] = []
    i = 0
    n = len(pattern)
    while i < n:
        first = i == 0
        char = pattern[i]
        if char == "*" and i + 1 < n and pattern[i + 1] == "*":
            i += 2
            if i < n and pattern[i] == "/":
                i += 1  # `**/` is treated as `**`
            if i >= n:  # a trailing `**` matches everything below
                if kind is _Kind.EXACT:
                    kind = _Kind.PREFIX
                else:
                    out.append((_ANY, ".*"))
                    kind = _Kind.REGEX
            else:  # any number of directories, including none
                out.append((_DIRS, "(?:.*/)?"))
                kind = _Kind.REGEX
            if first:
                kind = _Kind.SUFFIX
            continue
        if char == "*":
            out.append((_STAR, "[^/]*"))
            kind = _Kind.REGEX
        elif char == "?":
            out.append((_ONE, "[^/]"))
            kind = _Kind.REGEX
        elif char == "[":
            cls, i = _parse_class(pattern, i)
            out.append((_ONE, cls))
            kind = _Kind.REGEX
            continue
        elif char == "\\" and i + 1 < n:
            i += 1
            out.append((_ONE, re.escape(pattern[i])))
            kind = _Kind.REGEX
        elif char == "^":
            # moby copies `^` into its regexp unescaped, where it is an anchor: in a
            # pattern that becomes a regexp, a `^` after the start matches nothing.
            out.append((_ANCHOR, "^"))
        else:
            out.append((_ONE, re.escape(char)))
        i += 1
    if kind is _Kind.REGEX:
        return kind, Glob.build(out)
    return kind, None


@record
class IgnorePattern:
    """One pattern of an ignore file, as Docker cleaned it."""

    line: int  # 1-based line in the ignore file
    pattern: str  # cleaned, without the leading `!`
    exclusion: bool  # a `!` line: re-includes what it matches
    _kind: _Kind = field(repr=False, compare=False)
    _regex: Glob | None = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        """The pattern as Docker sees it (``!`` included)."""
        return ("!" if self.exclusion else "") + self.pattern

    def matches(self, path: str) -> bool:
        """Whether the pattern matches ``path`` itself (parents are not considered)."""
        if self._kind is _Kind.EXACT:
            return path == self.pattern
        if self._kind is _Kind.PREFIX:
            return path.startswith(self.pattern[:-2])
        if self._kind is _Kind.SUFFIX:
            suffix = self.pattern[2:]
            # `**/foo` also matches `foo` at the root
            return path.endswith(suffix) or (suffix[:1] == "/" and path == suffix[1:])
        assert self._regex is not None
        return self._regex.fullmatch(path)


@record
class IgnoreError:
    """A line Docker would refuse (the build fails); ``line`` 0 is the file as a whole."""

    line: int
    message: str


@record
class MatchInfo:
    """Which patterns matched a directory, passed down to its entries (moby's MatchInfo)."""

    matched: tuple[bool, ...]
    decider: int | None  # index of the last matching pattern


@record
class IgnoreRules:
    """Parsed ignore file. Patterns that Docker would reject are left out and reported."""

    patterns: tuple[IgnorePattern, ...] = ()
    errors: tuple[IgnoreError, ...] = ()

    @property
    def has_exclusions(self) -> bool:
        return any(p.exclusion for p in self.patterns)

    def evaluate(self, path: str, parent: MatchInfo | None) -> MatchInfo:
        """moby's ``MatchesUsingParentResults`` for ``path`` given its directory's result.

        ``parent`` is ``None`` for an entry at the context root (or when the caller has no
        parent result, in which case every ancestor directory is tried, as Go does).
        """
        matched = False
        decider: int | None = None
        flags: list[bool] = []
        ancestors = _ancestors(path) if parent is None else ()
        for i, pattern in enumerate(self.patterns):
            hit = parent is not None and parent.matched[i]
            if not hit:
                # An inclusion is not evaluated once the path is excluded, nor an
                # exclusion while it is included: both could not change the result.
                if pattern.exclusion != matched:
                    flags.append(False)
                    continue
                hit = pattern.matches(path) or any(pattern.matches(a) for a in ancestors)
            flags.append(hit)
            if hit:
                matched = not pattern.exclusion
                decider = i
        return MatchInfo(tuple(flags), decider)

    def can_prune(self, directory: str) -> bool:
        """Whether nothing below an excluded ``directory`` can be re-included (fsutil's rule).

        True when every exception is a literal path that does not lie below it.
        """
        prefix = directory + "/"
        for pattern in self.patterns:
            if pattern.exclusion and (
                pattern._kind is not _Kind.EXACT or (pattern.pattern + "/").startswith(prefix)
            ):
                return False
        return True


def _ancestors(path: str) -> tuple[str, ...]:
    parts = path.split("/")
    return tuple("/".join(parts[:i]) for i in range(1, len(parts)))


def parse_dockerignore(text: str) -> IgnoreRules:
    """Parse ignore-file text exactly as ``docker build`` does."""
    patterns: list[IgnorePattern] = []
    errors: list[IgnoreError] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        line = raw[:-1] if raw.endswith("\r") else raw  # bufio.ScanLines drops one CR
        if number == 1:
            line = line.removeprefix("\ufeff")
        if len(line.encode("utf-8", "surrogateescape")) > _MAX_IGNORE_LINE:
            errors.append(IgnoreError(number, "line too long (Docker's limit is 64 KiB)"))
            break  # the Go scanner stops reading at this point
        if line.startswith("#"):  # only in column 1: ` # x` is a pattern
            continue
        line = line.strip(GO_SPACE)
        if not line:
            continue
        parsed = _parse_line(number, line)
        if isinstance(parsed, IgnoreError):
            errors.append(parsed)
        else:
            patterns.append(parsed)
    return IgnoreRules(tuple(patterns), tuple(errors))


def _parse_line(number: int, line: str) -> IgnorePattern | IgnoreError:
    # ignorefile.ReadAll: split off `!`, clean, drop a leading `/`, put the `!` back ...
    invert = line.startswith("!")
    body = line[1:].strip(GO_SPACE) if invert else line
    if body:
        body = go_clean(body)
        if len(body) > 1 and body.startswith("/"):
            body = body[1:]
    # ... then patternmatcher.New cleans the whole thing once more (so `!/` becomes `!`).
    return _new_pattern(number, ("!" if invert else "") + body, line)


def _new_pattern(number: int, text: str, written: str) -> IgnorePattern | IgnoreError:
    """moby/patternmatcher's ``New`` for one trimmed, non-empty pattern ``text``: clean
    it, split off a leading ``!``, validate what is left with ``filepath.Match``."""
    full = go_clean(text)
    exclusion = full.startswith("!")
    if exclusion:
        if len(full) == 1:
            return IgnoreError(number, 'illegal exclusion pattern "!"')
        full = full[1:]
    try:
        go_glob_regex(full)
        kind, regex = _compile_moby(full)
    except PatternError as exc:
        return IgnoreError(number, f"syntax error in pattern `{written}`: {exc}")
    return IgnorePattern(number, full, exclusion, kind, regex)


def parse_patterns(patterns: Sequence[str]) -> IgnoreRules:
    """A list of patterns read as moby/patternmatcher's ``New`` reads them, as BuildKit's
    copy does with ``COPY --exclude`` values (fsutil's ``copy`` package).

    Not an ignore file: no ``#`` comment lines, and a leading ``/`` is kept, so ``/a``
    matches no path (paths are relative). ``line`` is the 1-based position in the list.
    """
    found: list[IgnorePattern] = []
    errors: list[IgnoreError] = []
    for number, written in enumerate(patterns, start=1):
        text = written.strip(GO_SPACE)
        if not text:
            continue
        parsed = _new_pattern(number, text, written)
        if isinstance(parsed, IgnoreError):
            errors.append(parsed)
        else:
            found.append(parsed)
    return IgnoreRules(tuple(found), tuple(errors))


def literal_pattern(path: str) -> str | None:
    """An ignore-file line that excludes exactly ``path`` (context-relative, clean) and
    what is below it, or None when no line can (leading or trailing spaces, which Docker
    trims; a line break).

    Wildcards, ``\\`` and ``^`` (which moby's regexp would read as an anchor) are escaped,
    and so is a leading ``#`` or ``!``; the line is checked by parsing it back.
    """
    escaped = re.sub(r"([*?\[\\^])", r"\\\1", path)
    if escaped.startswith(("#", "!")):
        escaped = "\\" + escaped
    rules = parse_dockerignore(escaped)
    if "\n" in path or "\r" in path or rules.errors or len(rules.patterns) != 1:
        return None
    [pattern] = rules.patterns
    return escaped if not pattern.exclusion and pattern.matches(path) else None


def ignore_file_candidates(root: Path, dockerfile: Path | None) -> tuple[Path, Path]:
    """Where the builder looks for an ignore file, first match wins:
    ``<Dockerfile name>.dockerignore`` beside the Dockerfile, then ``<root>/.dockerignore``
    (without a Dockerfile path, the default ``<root>/Dockerfile`` is assumed)."""
    dockerfile = dockerfile if dockerfile is not None else root / "Dockerfile"
    return dockerfile.parent / (dockerfile.name + ".dockerignore"), root / ".dockerignore"


def find_ignore_file(root: Path, dockerfile: Path | None) -> Path | None:
    """The ignore file of the context (see :func:`ignore_file_candidates`). Only regular
    files count, and a symlink to one inside the context (``.dockerignore`` ->
    ``.gitignore``), which the builder follows as it sends the context; a symlink out of
    the context is not followed (the builder cannot reach its target either).
    """
    for candidate in ignore_file_candidates(root, dockerfile):
        try:
            mode = os.lstat(candidate).st_mode
            if stat.S_ISREG(mode):
                return candidate
            if stat.S_ISLNK(mode) and _link_inside(candidate, root):
                return candidate
        except OSError:
            continue
    return None


def _link_inside(link: Path, root: Path) -> bool:
    """Whether the symlink ``link`` resolves to a regular file inside ``root``."""
    target = os.path.realpath(link)
    base = os.path.realpath(root)
    if os.path.commonpath([target, base]) != base:
        return False
    return stat.S_ISREG(os.stat(target).st_mode)


def _read_ignore_file(path: Path) -> IgnoreRules:
    # A symlink (one inside the context: see find_ignore_file) is read through its target.
    target = os.path.realpath(path) if os.path.islink(path) else path
    try:
        fd = os.open(target, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC)
    except OSError as exc:
        return IgnoreRules(errors=(IgnoreError(0, f"cannot read {path.name}: {exc.strerror}"),))
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_IGNORE_FILE_BYTES + 1)
    if len(data) > MAX_IGNORE_FILE_BYTES:
        message = f"{path.name} is larger than {MAX_IGNORE_FILE_BYTES} bytes; not read"
        return IgnoreRules(errors=(IgnoreError(0, message),))
    return parse_dockerignore(data.decode("utf-8", "surrogateescape"))
