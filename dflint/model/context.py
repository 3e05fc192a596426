"""The build context of a Dockerfile: its files, as ``docker build`` sends them.

Everything here mirrors what ``docker build`` does with the context directory:

* the ignore file is found, read and matched as :mod:`dflint.model.ignore` describes
  (``<Dockerfile name>.dockerignore`` next to the Dockerfile when it exists, else
  ``<context>/.dockerignore``; moby's parsing and ``MatchesUsingParentResults``);
* COPY/ADD sources are resolved like BuildKit's ``copy`` package (Go ``filepath.Match``
  wildcards; a directory means its contents; ``.`` is the whole context) against the
  files that are actually sent, i.e. those the ignore file does not exclude;
* secret-looking files are those :mod:`dflint.model.secret_files` recognises;
* whether the folder looks like the context the build really uses: when none of the
  paths a Dockerfile names exists in it but some do from a folder above it
  (:meth:`BuildContext.sources_elsewhere`), the build is run from elsewhere (a compose
  file, a bake file, a CI workflow or a README says where) and what the folder holds
  says nothing about what the build sends.

Loading is the I/O edge: :meth:`BuildContext.load` reads the (bounded) ignore file; the
listing is computed on first use, walks with ``os.scandir`` without following symlinks
and stops after ``max_entries`` entries. File contents are read only on request, through
file descriptors opened with ``O_NOFOLLOW`` below the context root, and never more than
a caller-given limit.
"""

from __future__ import annotations

import os
import stat
from bisect import bisect_left
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import TypeVar

from dflint.model.ignore import (
    _O_CLOEXEC,
    _O_NOFOLLOW,
    _O_NONBLOCK,
    IgnoreError,
    IgnorePattern,
    IgnoreRules,
    MatchInfo,
    PatternError,
    _read_ignore_file,
    clean_source,
    find_ignore_file,
    go_clean,
    go_glob_regex,
    has_wildcards,
    ignore_file_candidates,
    parse_dockerignore,
    split_wildcards,
)
from dflint.model.secret_files import DEFAULT_READ_LIMIT, SecretFile, secret_reason
from dflint.records import record

DEFAULT_MAX_ENTRIES = 200_000
"""Entries (files, directories, others) the listing visits before it gives up."""
MAX_ANCESTORS = 5
"""Folders above the context that :meth:`BuildContext.sources_elsewhere` looks in."""
MAX_READ_LIMIT = 16 * 1024 * 1024

_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


T = TypeVar("T")


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


@record(frozen=False)
class _Cache:
    listing: Listing | None = None
    dir_info: dict[str, MatchInfo] = field(default_factory=dict)
    secret_files: tuple[SecretFile, ...] | None = None
    globs: dict[tuple[str, bool], tuple[str, ...]] = field(default_factory=dict)
    elsewhere: dict[tuple[str, ...], str | None] = field(default_factory=dict)
    exists: dict[str, bool] = field(default_factory=dict)
    # Facts rules derive from the context alone (see BuildContext.memo).
    derived: dict[Hashable, object] = field(default_factory=dict)


@record(guarded=True)
class BuildContext:
    """A build-context directory, read lazily; see the module docstring."""

    root: Path
    dockerfile: Path | None
    ignore_file: Path | None
    ignore: IgnoreRules
    max_entries: int = DEFAULT_MAX_ENTRIES
    _cache: _Cache = field(default_factory=_Cache, repr=False, compare=False)
    # Named contexts the build declares (compose ``additional_contexts``, bake
    # ``contexts``, ``--build-context``): ``COPY --from=<name>`` reads one, not an image.
    named_contexts: frozenset[str] = frozenset()
    # Images that builds declared in the repository tag (compose `image` of a service
    # with a `build`, bake `tags`): a FROM of one is a local chain, not a pull.
    project_images: frozenset[str] = frozenset()
    # False when every build declared for the Dockerfile keeps no image (a bake target
    # whose outputs are all `type=cacheonly`): rules about what an image ships say nothing.
    ships_image: bool = True
    # Context-relative paths of the files the declared services read as environment
    # (compose `env_file`): a local `.env` that each user creates, present or not.
    declared_env_files: tuple[str, ...] = ()

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

    def with_new_files(self, files: Mapping[Path, str]) -> BuildContext:
        """This context as the rules would see it once ``files`` (absolute paths of files
        to be created, with their text) exist: a new ignore file where the builder would
        look for one takes effect. The listing stays the folder's as it is (what ``--diff``
        needs to count what a fix that creates the ignore file would leave)."""
        if self.ignore_file is not None:
            return self  # a new file cannot take the place of the one there is
        for candidate in ignore_file_candidates(self.root, self.dockerfile):
            text = files.get(candidate)
            if text is not None:
                rules = parse_dockerignore(text)
                return replace(self, ignore_file=candidate, ignore=rules, _cache=_Cache())
        return self

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
        base, pattern = split_wildcards(path)
        try:
            regex = go_glob_regex(pattern)
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

    def names_nothing_here(self, source: str) -> bool:
        """Whether the COPY/ADD ``source`` (cleaned, context-relative) matches no entry
        of the context, excluded or not; ``False`` when that is unknown (a wildcard in a
        context too big to list)."""
        if source == ".":
            return False
        if not has_wildcards(source):
            return not self.exists(source)
        if self.truncated:
            return False
        return not self.glob(source, include_ignored=True)

    def sources_elsewhere(self, sources: tuple[str, ...]) -> str | None:
        """Where the build context probably is when it is not this folder: the relative
        path of the nearest folder above the root (``..``, ``../..``) from which some of
        ``sources`` (the paths a Dockerfile names, cleaned) exist, when none of them
        exists here; ``None`` when one does, or none exists from above either.

        A Dockerfile whose named sources are all missing could also be copying build
        outputs not made yet (``target/app.jar``): only a folder above that has them
        tells that the context is elsewhere. The search goes up at most
        ``MAX_ANCESTORS`` folders and stops after one holding ``.git`` (the checkout's
        root); it only checks that paths exist there, reading nothing. A wildcard source
        counts through the folder before its first wildcard.
        """
        named = tuple(sorted({s for s in sources if s != "."}))
        if not named:
            return None
        if named in self._cache.elsewhere:
            return self._cache.elsewhere[named]
        found = None
        if all(self.names_nothing_here(s) for s in named):
            found = _ancestor_holding(self.root, named)
        self._cache.elsewhere[named] = found
        return found

    def ignore_file_from(self, folder: str) -> Path | None:
        """The ignore file the builder would read with ``folder`` (relative to the root,
        such as :meth:`sources_elsewhere` returns) as the context and this Dockerfile."""
        return find_ignore_file(Path(os.path.normpath(self.root / folder)), self.dockerfile)

    def memo(self, key: Hashable, compute: Callable[[BuildContext], T]) -> T:
        """``compute(self)``, computed once for ``key`` and then remembered for every
        Dockerfile that shares this context's files and ignore file (see
        :class:`ContextCache`): for facts rules derive from the context alone (``key``
        names the query and whatever else of the context it reads, such as
        ``declared_env_files``)."""
        derived = self._cache.derived
        if key in derived:
            return derived[key]  # type: ignore[return-value]  # stored by the same key's compute
        value = derived[key] = compute(self)
        return value

    # -- reading -------------------------------------------------------------------------

    def exists(self, rel_path: str) -> bool:
        """Whether ``rel_path`` exists in the context directory (ignore file not applied).

        Symlinks are not followed; a path through a symlinked directory does not exist.
        """
        known = self._cache.exists.get(rel_path)
        if known is None:
            known = self._cache.exists[rel_path] = self._exists(rel_path)
        return known

    def _exists(self, rel_path: str) -> bool:
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
        return secret_reason(path.lower(), lambda limit: self.read_text(path, limit))

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


def _ancestor_holding(root: Path, sources: tuple[str, ...]) -> str | None:
    """The nearest folder above ``root`` (as ``..``, ``../..``, ...) from which one of the
    ``sources`` (or the folder before a wildcard's first wildcard) exists."""
    literal: list[str] = []
    for source in sources:
        path = split_wildcards(source)[0] if has_wildcards(source) else source
        if path and path != "." and not path.startswith(".."):
            literal.append(path)
    folder = root
    for level in range(1, MAX_ANCESTORS + 1):
        if folder.parent == folder or (folder / ".git").exists():
            return None  # the filesystem's root, or the checkout's
        folder = folder.parent
        if any(os.path.lexists(folder / path) for path in literal):
            return "/".join([".."] * level)
    return None


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
    """The components of a context path, ``[]`` for the root, ``None`` for a path that
    cannot name a file in the context (outside it, or with a NUL byte, which no file
    name holds and every ``os`` call refuses with ``ValueError``)."""
    if "\x00" in rel_path:
        return None
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
