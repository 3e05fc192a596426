"""The build context of a Dockerfile: its files and its ``.dockerignore``.

Everything here mirrors what ``docker build`` does with the context directory:

* the ignore file is ``<Dockerfile name>.dockerignore`` next to the Dockerfile when it
  exists, else ``<context>/.dockerignore``;
* the ignore file is read like moby's ``ignorefile.ReadAll`` (BOM stripped, ``#`` in
  column 1 is a comment, whitespace trimmed, ``filepath.Clean``, leading ``/`` dropped)
  and its patterns are matched like moby/patternmatcher's ``MatchesUsingParentResults``,
  which is what BuildKit's context transfer (fsutil) uses;
* COPY/ADD sources are resolved like BuildKit's ``copy`` package (Go ``filepath.Match``
  wildcards; a directory means its contents; ``.`` is the whole context) against the
  files that are actually sent, i.e. those the ignore file does not exclude.

Loading is the I/O edge: :meth:`BuildContext.load` reads the (bounded) ignore file; the
listing is computed on first use, walks with ``os.scandir`` without following symlinks
and stops after ``max_entries`` entries. File contents are read only on request, through
file descriptors opened with ``O_NOFOLLOW`` below the context root, and never more than
a caller-given limit.
"""

from __future__ import annotations

import enum
import os
import re
import stat
from bisect import bisect_left
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import translate
from pathlib import Path

from dflint.records import record

DEFAULT_MAX_ENTRIES = 200_000
"""Entries (files, directories, others) the listing visits before it gives up."""
MAX_IGNORE_FILE_BYTES = 1024 * 1024
DEFAULT_READ_LIMIT = 64 * 1024
MAX_READ_LIMIT = 16 * 1024 * 1024
# bufio.Scanner's default token size: Docker fails on a longer line.
_MAX_IGNORE_LINE = 64 * 1024
# Go's unicode.IsSpace, which strings.TrimSpace uses (Python's str.strip also strips
# the \x1c-\x1f separators, which Go keeps).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # noqa: E501

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
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
        line = line.strip(_GO_SPACE)
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
    body = line[1:].strip(_GO_SPACE) if invert else line
    if body:
        body = go_clean(body)
        if len(body) > 1 and body.startswith("/"):
            body = body[1:]
    # ... then patternmatcher.New cleans the whole thing once more (so `!/` becomes `!`).
    full = go_clean(("!" if invert else "") + body)
    exclusion = full.startswith("!")
    if exclusion:
        if len(full) == 1:
            return IgnoreError(number, 'illegal exclusion pattern "!"')
        full = full[1:]
    try:
        go_glob_regex(full)  # patternmatcher validates with filepath.Match
        kind, regex = _compile_moby(full)
    except PatternError as exc:
        return IgnoreError(number, f"syntax error in pattern `{line}`: {exc}")
    return IgnorePattern(number, full, exclusion, kind, regex)


def find_ignore_file(root: Path, dockerfile: Path | None) -> Path | None:
    """``<Dockerfile name>.dockerignore`` beside the Dockerfile, else ``<root>/.dockerignore``.

    Without a Dockerfile path the default ``<root>/Dockerfile`` is assumed. Only regular
    files count (a symlink is not followed).
    """
    dockerfile = dockerfile if dockerfile is not None else root / "Dockerfile"
    for candidate in (
        dockerfile.parent / (dockerfile.name + ".dockerignore"),
        root / ".dockerignore",
    ):
        try:
            if stat.S_ISREG(os.lstat(candidate).st_mode):
                return candidate
        except OSError:
            continue
    return None


def _read_ignore_file(path: Path) -> IgnoreRules:
    try:
        fd = os.open(path, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC)
    except OSError as exc:
        return IgnoreRules(errors=(IgnoreError(0, f"cannot read {path.name}: {exc.strerror}"),))
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_IGNORE_FILE_BYTES + 1)
    if len(data) > MAX_IGNORE_FILE_BYTES:
        message = f"{path.name} is larger than {MAX_IGNORE_FILE_BYTES} bytes; not read"
        return IgnoreRules(errors=(IgnoreError(0, message),))
    return parse_dockerignore(data.decode("utf-8", "surrogateescape"))


# ---------------------------------------------------------------------------------------
# Secret-looking files


@record
class SecretFile:
    path: str  # context-relative, POSIX
    reason: str


_REFERENCE = re.compile(r"""["']?\$\{?[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?\}?["']?""")


def _assigned_values(pattern: str) -> Callable[[str | None], bool]:
    """Content check: some non-comment line assigns a literal (not ``${VAR}``) value."""
    regex = re.compile(pattern, re.IGNORECASE)

    def check(text: str | None) -> bool:
        if text is None:
            return False
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith(("#", ";")):
                continue
            for found in regex.finditer(stripped):
                value = found.group("value").strip().strip("\"'")
                if value and not _REFERENCE.fullmatch(value):
                    return True
        return False

    return check


def _contains(pattern: str) -> Callable[[str | None], bool]:
    regex = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    return lambda text: text is not None and regex.search(text) is not None


def _private_key_unless_certificate(text: str | None) -> bool:
    # A PEM/`.key` file that we can read and that holds only certificates or public
    # keys is not a secret; anything else (private key, binary DER, unreadable) is.
    return text is None or "PRIVATE KEY" in text or "-----BEGIN" not in text


@record
class _SecretRule:
    reason: str
    names: tuple[str, ...] = ()  # globs on the lower-cased file name
    paths: tuple[str, ...] = ()  # lower-cased path suffixes (`.aws/credentials`)
    unless: tuple[str, ...] = ()  # globs on the lower-cased file name that never match
    content: Callable[[str | None], bool] | None = None
    read_limit: int = DEFAULT_READ_LIMIT
    _names: re.Pattern[str] | None = field(default=None, repr=False)
    _unless: re.Pattern[str] | None = field(default=None, repr=False)

    @staticmethod
    def make(
        reason: str,
        names: Iterable[str] = (),
        paths: Iterable[str] = (),
        unless: Iterable[str] = (),
        content: Callable[[str | None], bool] | None = None,
        read_limit: int = DEFAULT_READ_LIMIT,
    ) -> _SecretRule:
        names, unless = tuple(names), tuple(unless)
        return _SecretRule(
            reason,
            names,
            tuple(paths),
            unless,
            content,
            read_limit,
            re.compile("|".join(translate(n) for n in names)) if names else None,
            re.compile("|".join(translate(n) for n in unless)) if unless else None,
        )

    def matches_name(self, lower_path: str, lower_name: str) -> bool:
        if self._unless is not None and self._unless.match(lower_name):
            return False
        if self._names is not None and self._names.match(lower_name):
            return True
        return any(lower_path == p or lower_path.endswith("/" + p) for p in self.paths)


SECRET_RULES: tuple[_SecretRule, ...] = (
    _SecretRule.make(
        "dotenv file with environment secrets",
        names=(".env", ".env.*"),
        unless=("*.example", "*.sample", "*.template", "*.dist", "*.tpl"),
    ),
    _SecretRule.make(
        "SSH private key",
        names=("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"),
    ),
    _SecretRule.make(
        "private key", names=("*.pem", "*.key"), content=_private_key_unless_certificate
    ),
    _SecretRule.make("PKCS#12 key store", names=("*.p12", "*.pfx")),
    _SecretRule.make("Java key store", names=("*.jks", "*.keystore")),
    _SecretRule.make(
        "npm registry token",
        names=(".npmrc",),
        content=_assigned_values(r"(?:^|[:\s])_(?:authtoken|auth|password)\s*=(?P<value>.*)"),
    ),
    _SecretRule.make(
        "Yarn registry token",
        names=(".yarnrc.yml", ".yarnrc.yaml"),
        content=_assigned_values(r"\bnpmAuth(?:Token|Ident)\s*:(?P<value>.*)"),
    ),
    _SecretRule.make(
        "PyPI password or token",
        names=(".pypirc",),
        content=_assigned_values(r"^password\s*[=:](?P<value>.*)"),
    ),
    _SecretRule.make(
        "netrc password",
        names=(".netrc", "_netrc"),
        content=_assigned_values(r"\bpassword\s+(?P<value>\S+)"),
    ),
    _SecretRule.make(
        "Git credentials",
        names=(".git-credentials",),
        content=_contains(r"^[a-z][a-z0-9+.-]*://[^:@/\s]+:[^@\s]+@"),
    ),
    _SecretRule.make("AWS credentials", paths=(".aws/credentials",)),
    _SecretRule.make(
        "Docker registry credentials",
        names=(".dockercfg",),
        paths=(".docker/config.json",),
        content=_contains(r'"(?:auth|identitytoken|registrytoken)"\s*:\s*"[^"]'),
    ),
    _SecretRule.make(
        "Google Cloud service-account key",
        names=("*.json",),
        # Google writes `"type"` first; 4 KiB keeps a scan of many JSON files cheap.
        content=_contains(r'"type"\s*:\s*"service_account"'),
        read_limit=4096,
    ),
    _SecretRule.make("OAuth client secret", names=("client_secret*.json",)),
    _SecretRule.make("Terraform state", names=("*.tfstate", "*.tfstate.backup")),
    _SecretRule.make(
        "Kubernetes credentials (kubeconfig)",
        names=("kubeconfig", "*.kubeconfig", "kubeconfig.yaml", "kubeconfig.yml"),
        paths=(".kube/config",),
    ),
    _SecretRule.make("htpasswd password hashes", names=(".htpasswd",)),
)

# Any file name some rule could flag: one regex rejects the other files of a big tree.
_SECRET_NAME = re.compile(
    "|".join(translate(n) for rule in SECRET_RULES for n in rule.names)
    + "|"
    + "|".join(re.escape(p.rsplit("/", 1)[-1]) + r"\Z" for rule in SECRET_RULES for p in rule.paths)
)


# ---------------------------------------------------------------------------------------
# The context


@record
class Listing:
    """What one bounded walk of the context found (paths relative, POSIX, sorted)."""

    # Every non-directory entry visited, symlinks included. Entries inside `pruned`
    # directories are not visited: they are all excluded and none can be re-included.
    files: tuple[str, ...]
    directories: tuple[str, ...]
    symlinks: frozenset[str]
    included_files: tuple[str, ...]  # files the ignore file does not exclude
    included_directories: tuple[str, ...]  # not excluded, or holding an included file
    pruned: tuple[str, ...]  # excluded directories not descended into (nothing inside counts)
    unreadable: tuple[str, ...]  # directories that could not be listed
    truncated: bool  # the walk stopped at ``max_entries``


@dataclass(slots=True)
class _Cache:
    listing: Listing | None = None
    dir_info: dict[str, MatchInfo] = field(default_factory=dict)
    secret_files: tuple[SecretFile, ...] | None = None
    globs: dict[tuple[str, bool], tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BuildContext:
    """A build-context directory, read lazily; see the module docstring."""

    root: Path
    dockerfile: Path | None
    ignore_file: Path | None
    ignore: IgnoreRules
    max_entries: int = DEFAULT_MAX_ENTRIES
    _cache: _Cache = field(default_factory=_Cache, repr=False, compare=False)

    @classmethod
    def load(
        cls, root: Path, dockerfile: Path | None = None, *, max_entries: int = DEFAULT_MAX_ENTRIES
    ) -> BuildContext:
        """Find and parse the ignore file of the context ``root``; nothing else is read yet.

        Raises ``NotADirectoryError`` when ``root`` is not a directory.
        """
        root, dockerfile, ignore_file = _locate(root, dockerfile)
        rules = _read_ignore_file(ignore_file) if ignore_file is not None else IgnoreRules()
        return cls(root, dockerfile, ignore_file, rules, max_entries)

    # -- the ignore file ----------------------------------------------------------------

    @property
    def has_dockerignore(self) -> bool:
        return self.ignore_file is not None

    @property
    def patterns(self) -> tuple[IgnorePattern, ...]:
        return self.ignore.patterns

    @property
    def ignore_errors(self) -> tuple[IgnoreError, ...]:
        return self.ignore.errors

    def _info(self, path: str) -> MatchInfo:
        """The match result of ``path``, computed top-down through cached directories."""
        slash = path.rfind("/")
        parent = None if slash == -1 else self._dir_info(path[:slash])
        return self.ignore.evaluate(path, parent)

    def _dir_info(self, directory: str) -> MatchInfo:
        cached = self._cache.dir_info.get(directory)
        if cached is None:
            cached = self._info(directory)
            self._cache.dir_info[directory] = cached
        return cached

    def matching_pattern(self, rel_path: str) -> IgnorePattern | None:
        """The pattern that decides ``rel_path`` (an exception when it re-includes it)."""
        path = _normalize(rel_path)
        if path is None or not self.ignore.patterns:
            return None
        decider = self._info(path).decider
        return None if decider is None else self.ignore.patterns[decider]

    def is_ignored(self, rel_path: str) -> bool:
        """Whether the ignore file keeps ``rel_path`` out of the context sent to the builder."""
        pattern = self.matching_pattern(rel_path)
        return pattern is not None and not pattern.exclusion

    # -- the listing ---------------------------------------------------------------------

    @property
    def listing(self) -> Listing:
        if self._cache.listing is None:
            self._cache.listing = self._walk()
        return self._cache.listing

    @property
    def truncated(self) -> bool:
        return self.listing.truncated

    def files(self) -> tuple[str, ...]:
        """Files of the context (see :class:`Listing` for what a bounded walk leaves out)."""
        return self.listing.files

    def included_files(self) -> tuple[str, ...]:
        """Files that are sent to the builder: not excluded by the ignore file."""
        return self.listing.included_files

    def _walk(self) -> Listing:
        files: list[str] = []
        dirs: list[str] = []
        symlinks: set[str] = set()
        included: list[str] = []
        included_dirs: set[str] = set()
        pruned: list[str] = []
        unreadable: list[str] = []
        has_patterns = bool(self.ignore.patterns)
        visited = 0
        truncated = False
        queue: deque[str] = deque([""])  # breadth first: a cut-off keeps the shallow files
        while queue and not truncated:
            directory = queue.popleft()
            try:
                with os.scandir(os.path.join(self.root, directory)) as scan:
                    entries = sorted(scan, key=lambda e: e.name)
            except OSError:
                unreadable.append(directory)
                continue
            for entry in entries:
                if visited >= self.max_entries:
                    truncated = True
                    break
                visited += 1
                rel = f"{directory}/{entry.name}" if directory else entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                ignored = has_patterns and self._entry_ignored(rel, is_dir)
                if is_dir:
                    dirs.append(rel)
                    if not ignored:
                        # Parents first: the set must stay closed under "parent of", which
                        # _add_parents relies on (`nm` then `!nm/keep` re-includes nm/keep).
                        _add_parents(rel, included_dirs)
                        included_dirs.add(rel)
                    if ignored and self.ignore.can_prune(rel):
                        pruned.append(rel)
                    else:
                        queue.append(rel)
                    continue
                files.append(rel)
                if entry.is_symlink():
                    symlinks.add(rel)
                if not ignored:
                    included.append(rel)
                    _add_parents(rel, included_dirs)
        return Listing(
            files=tuple(sorted(files)),
            directories=tuple(sorted(dirs)),
            symlinks=frozenset(symlinks),
            included_files=tuple(sorted(included)),
            included_directories=tuple(sorted(included_dirs)),
            pruned=tuple(sorted(pruned)),
            unreadable=tuple(sorted(unreadable)),
            truncated=truncated,
        )

    def _entry_ignored(self, rel: str, is_dir: bool) -> bool:
        info = self._dir_info(rel) if is_dir else self._info(rel)
        return info.decider is not None and not self.ignore.patterns[info.decider].exclusion

    # -- COPY sources --------------------------------------------------------------------

    def glob(self, source: str, *, include_ignored: bool = False) -> tuple[str, ...]:
        """Entries (files or directories) a COPY/ADD ``source`` names, sorted.

        ``(".",)`` for the whole context. Wildcards follow Go's ``filepath.Match``; only
        entries the builder receives are candidates unless ``include_ignored`` (which
        still cannot see inside ``listing.pruned`` directories: use :meth:`exists`).
        """
        key = (source, include_ignored)
        found = self._cache.globs.get(key)
        if found is None:
            found = self._cache.globs[key] = self._glob(source, include_ignored)
        return found

    def _glob(self, source: str, include_ignored: bool) -> tuple[str, ...]:
        path = clean_source(source)
        if path == ".":
            return (".",)
        listing = self.listing
        files = listing.files if include_ignored else listing.included_files
        dirs = listing.directories if include_ignored else listing.included_directories
        if not has_wildcards(path):
            return (path,) if _contains_sorted(files, path) or _contains_sorted(dirs, path) else ()
        parts = path.split("/")
        split = next(i for i, part in enumerate(parts) if has_wildcards(part))
        base = "/".join(parts[:split])
        try:
            regex = go_glob_regex("/".join(parts[split:]))
        except PatternError:
            return ()  # BuildKit ignores filepath.Match's error: nothing matches
        prefix = base + "/" if base else ""
        found: list[str] = []
        for candidate in sorted((*_under(files, prefix), *_under(dirs, prefix))):
            if found and candidate.startswith(found[-1] + "/"):
                continue  # below a matched directory (filepath.SkipDir)
            if regex.fullmatch(candidate[len(prefix) :]):
                found.append(candidate)
        return tuple(found)

    def copied_files(self, source: str) -> tuple[str, ...]:
        """Files a COPY/ADD ``source`` brings into the image (directories expanded)."""
        included = self.included_files()
        result: set[str] = set()
        for match in self.glob(source):
            if match == ".":
                return included
            if _contains_sorted(included, match):
                result.add(match)
            else:
                result.update(_under(included, match + "/"))
        return tuple(sorted(result))

    # -- reading -------------------------------------------------------------------------

    def exists(self, rel_path: str) -> bool:
        """Whether ``rel_path`` exists in the context directory (ignore file not applied).

        Symlinks are not followed; a path through a symlinked directory does not exist.
        """
        parts = _parts(rel_path)
        if parts is None:
            return False
        if not parts:
            return True
        with _ParentDir(self.root, parts) as parent:
            if parent.fd is None:
                return False
            try:
                os.stat(parts[-1], dir_fd=parent.fd, follow_symlinks=False)
            except OSError:
                return False
            return True

    def read_text(self, rel_path: str, limit: int = DEFAULT_READ_LIMIT) -> str | None:
        """At most ``limit`` bytes of a regular file inside the context, decoded leniently.

        ``None`` when it is missing, unreadable, not a regular file or behind a symlink.
        """
        parts = _parts(rel_path)
        if not parts:
            return None
        limit = max(0, min(limit, MAX_READ_LIMIT))
        with _ParentDir(self.root, parts) as parent:
            if parent.fd is None:
                return None
            flags = os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC
            try:
                fd = os.open(parts[-1], flags, dir_fd=parent.fd)
            except OSError:
                return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            chunks: list[bytes] = []
            remaining = limit
            while remaining > 0:
                chunk = os.read(fd, min(remaining, 1024 * 1024))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
        except OSError:
            return None
        finally:
            os.close(fd)
        return b"".join(chunks).decode("utf-8", "replace")

    # -- secrets -------------------------------------------------------------------------

    def looks_like_secret(self, rel_path: str) -> str | None:
        """Why ``rel_path`` looks like a secret, or ``None``. May read (a bounded prefix of) it."""
        path = _normalize(rel_path)
        if path is None:
            return None
        lower = path.lower()
        name = lower.rsplit("/", 1)[-1]
        if not _SECRET_NAME.match(name):
            return None
        for rule in SECRET_RULES:
            if not rule.matches_name(lower, name):
                continue
            if rule.content is None or rule.content(self.read_text(path, rule.read_limit)):
                return rule.reason
        return None

    def secret_files(self) -> tuple[SecretFile, ...]:
        """Secret-looking regular files that the ignore file lets into the context."""
        if self._cache.secret_files is None:
            self._cache.secret_files = self._find_secret_files()
        return self._cache.secret_files

    def _find_secret_files(self) -> tuple[SecretFile, ...]:
        symlinks = self.listing.symlinks
        found: list[SecretFile] = []
        for path in self.included_files():
            if path in symlinks:
                continue  # COPY copies the link, not what it points to
            reason = self.looks_like_secret(path)
            if reason is not None:
                found.append(SecretFile(path, reason))
        return tuple(found)


def _locate(
    root: Path, dockerfile: Path | None, roots: dict[Path, Path] | None = None
) -> tuple[Path, Path | None, Path | None]:
    """The resolved context root, the absolute Dockerfile path and the ignore file;
    ``roots`` remembers roots already resolved (and found to be directories)."""
    resolved = None if roots is None else roots.get(root)
    if resolved is None:
        resolved = Path(os.path.abspath(root)).resolve()
        if not resolved.is_dir():
            raise NotADirectoryError(f"build context {str(resolved)!r} is not a directory")
        if roots is not None:
            roots[root] = resolved
    if dockerfile is not None:
        dockerfile = Path(os.path.abspath(dockerfile))
    return resolved, dockerfile, find_ignore_file(resolved, dockerfile)


class ContextCache:
    """Build contexts shared by the Dockerfiles of one run: a folder holding many
    Dockerfiles is listed (and its secrets looked for) once, not once per Dockerfile.

    Dockerfiles share what is read of a context (ignore rules, listing, secrets) when
    they have the same root and the same ignore file. Only for runs over files that do
    not change meanwhile (a CLI run, not an editor session); the ``size`` most recently
    used contexts are kept.
    """

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._contexts: OrderedDict[tuple[Path, Path | None], BuildContext] = OrderedDict()
        self._roots: dict[Path, Path] = {}

    def load(self, root: Path, dockerfile: Path | None = None) -> BuildContext:
        """Like :meth:`BuildContext.load`, reusing what was read for another Dockerfile."""
        if len(self._roots) > 4 * self._size:
            self._roots.clear()
        root, dockerfile, ignore_file = _locate(root, dockerfile, self._roots)
        key = (root, ignore_file)
        seen = self._contexts.get(key)
        if seen is not None:
            self._contexts.move_to_end(key)
            # The same files and rules, told which Dockerfile it is for.
            return BuildContext(
                root, dockerfile, ignore_file, seen.ignore, seen.max_entries, seen._cache
            )
        rules = _read_ignore_file(ignore_file) if ignore_file is not None else IgnoreRules()
        context = BuildContext(root, dockerfile, ignore_file, rules)
        self._contexts[key] = context
        if len(self._contexts) > self._size:
            self._contexts.popitem(last=False)
        return context


def _normalize(rel_path: str) -> str | None:
    """A context-relative POSIX path, or None for the root itself or outside it."""
    cleaned = go_clean(rel_path.lstrip("/"))
    if cleaned == "." or cleaned == ".." or cleaned.startswith("../"):
        return None
    return cleaned


def _parts(rel_path: str) -> list[str] | None:
    cleaned = go_clean(rel_path.lstrip("/"))
    if cleaned == ".":
        return []
    if cleaned == ".." or cleaned.startswith("../"):
        return None
    return cleaned.split("/")


class _ParentDir:
    """The directory holding ``parts[-1]``, opened component by component below ``root``
    without following a symlink anywhere (``fd`` is None when that is impossible)."""

    def __init__(self, root: Path, parts: list[str]) -> None:
        self.fd: int | None = None
        flags = os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC
        try:
            fd = os.open(root, flags)
        except OSError:
            return
        for part in parts[:-1]:
            try:
                child = os.open(part, flags | _O_NOFOLLOW, dir_fd=fd)
            except OSError:
                os.close(fd)
                return
            os.close(fd)
            fd = child
        self.fd = fd

    def __enter__(self) -> _ParentDir:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _add_parents(path: str, into: set[str]) -> None:
    slash = path.rfind("/")
    while slash != -1:
        parent = path[:slash]
        if parent in into:
            return
        into.add(parent)
        slash = parent.rfind("/")


def _contains_sorted(items: tuple[str, ...], item: str) -> bool:
    i = bisect_left(items, item)
    return i < len(items) and items[i] == item


def _under(items: tuple[str, ...], prefix: str) -> tuple[str, ...]:
    """The sorted ``items`` that start with ``prefix``."""
    if not prefix:
        return items
    start = bisect_left(items, prefix)
    end = start
    while end < len(items) and items[end].startswith(prefix):
        end += 1
    return items[start:end]
