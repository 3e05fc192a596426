"""A COPY/ADD source is excluded by the `.dockerignore`.

## What it does
Flags a `COPY`/`ADD` source from the build context that the ignore file (`.dockerignore`,
or `<Dockerfile name>.dockerignore` when it exists) keeps out of the context, and names
the ignore-file line that excludes it. `!` exceptions are honoured with Docker's exact
semantics: a path that an exception re-includes is fine.

BuildKit's `CopyIgnoredFile` check matches the source text against the patterns and
gives up when the ignore file has any `!` exception. dflint evaluates exceptions, so it
keeps checking such files, and it looks at the files of the context as well, so it also
reports:
- a wildcard source (`*.log`) whose matches are all excluded;
- a directory source whose files are all excluded (`docs/` with `**/*.md` ignored);
- `.` when the ignore file leaves nothing of the context (BuildKit: only for the
  patterns `*`, `**` and `**/*`; dflint does the same when the context is too big to
  list), unless an exception names files that do not exist yet (`*` then
  `!obj/publish/*`: a build output made before `docker build`).

A directory that is excluded but partly re-included by an exception (`target/` then
`!target/lib/*.jar`) is not reported: BuildKit sends what the exception re-includes. A
source that matches no file is judged by its text alone, as BuildKit does, unless an
exception could re-include something below it (the folder may be a build output made
before `docker build`, and BuildKit gives up on ignore files with exceptions too).
Sources with variables that cannot be resolved, `--from` copies, heredocs and URLs are
skipped. The rule needs the build context and is silent without one.

When none of the paths the Dockerfile names exists in the build context but some do
from a folder above it, the context in use is probably not the one the build uses (it is
the Dockerfile's folder unless `--context` says otherwise): where it would blame the
ignore file, the rule says so once instead, at the first source.

## Why is this bad?
The builder never receives excluded files: the `COPY` fails with "not found" (or "no
source files were specified" for a wildcard), or silently copies an empty directory.
Either the ignore file or the Dockerfile is wrong.

## Example
With a `.dockerignore` that contains `*.md`:

```dockerfile
FROM nginx:1.27-alpine
COPY docs/ /usr/share/nginx/html/
COPY CHANGELOG.md /usr/share/doc/app/
```

## Use instead
Re-include what the image needs (`!docs/**/*.md` after `*.md`), or copy something the
ignore file lets through:

```dockerfile
FROM nginx:1.27-alpine
COPY site/ /usr/share/nginx/html/
```

## References
- [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
- [BuildKit check: CopyIgnoredFile](https://docs.docker.com/reference/build-checks/copy-ignored-file/)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.context import BuildContext
from dflint.model.ignore import IgnorePattern
from dflint.records import record
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._context_copy import ContextSource, context_sources
from ._context_fit import sources_elsewhere

# BuildKit reports `COPY .` only for these patterns (and only without `!` exceptions).
_EVERYTHING = frozenset({"*", "**", "**/*"})
_MAX_LINES = 3


@record
class _Verdict:
    subject: str  # what is excluded, starting the message
    consequence: str
    patterns: list[IgnorePattern]  # the ignore-file lines that exclude it


def _excluders(context: BuildContext, paths: Iterable[str]) -> list[IgnorePattern]:
    """The distinct patterns that exclude ``paths``, by line."""
    found: dict[int, IgnorePattern] = {}
    for path in paths:
        pattern = context.matching_pattern(path)
        if pattern is not None and not pattern.exclusion:
            found.setdefault(pattern.line, pattern)
    return [found[line] for line in sorted(found)]


def _under(items: tuple[str, ...], directory: str) -> tuple[str, ...]:
    """The entries of the sorted ``items`` below ``directory``."""
    prefix = directory + "/"
    start = bisect_left(items, prefix)
    end = bisect_left(items, directory + "0")  # "0" sorts right after "/"
    return items[start:end]


def _contains(items: tuple[str, ...], item: str) -> bool:
    i = bisect_left(items, item)
    return i < len(items) and items[i] == item


def _whole_context(context: BuildContext) -> list[IgnorePattern]:
    """Patterns that leave nothing of the context, or ``[]``."""
    if context.truncated:  # what is left is unknown: BuildKit's test of the patterns
        if context.ignore.has_exclusions:
            return []
        return [p for p in context.patterns if p.pattern in _EVERYTHING][:1]
    listing = context.listing
    entries = (*listing.files, *listing.pruned)
    if not entries or listing.included_files or _reincludes_absent(context):
        return []
    return _excluders(context, entries)


def _reincludes_absent(context: BuildContext) -> bool:
    """Whether an exception re-includes nothing that exists: it is written for files a
    build makes before `docker build` (`*` then `!obj/publish/*`), which are then sent."""
    listing = context.listing
    entries = (*listing.files, *listing.directories)
    for pattern in context.patterns:
        if pattern.exclusion and not any(pattern.matches(e) for e in entries):
            return True
    return False


def _wildcard(context: BuildContext, path: str) -> list[IgnorePattern]:
    """Patterns that exclude every match of the wildcard ``path``, or ``[]``."""
    if not context.truncated:
        if context.glob(path):
            return []  # something is sent
        matches = context.glob(path, include_ignored=True)
        if matches:
            return _excluders(context, matches)
    return _text_alone(context, path)


def _text_alone(context: BuildContext, path: str) -> list[IgnorePattern]:
    """No file to look at: match the text itself, as BuildKit does, unless an exception
    could re-include something the source would name (`!target/lib/*.jar` for a
    `target/lib/` that a build makes before `docker build`)."""
    if not context.ignore.can_prune(path):
        return []
    return _excluders(context, [path])


def _path_itself(context: BuildContext, path: str) -> list[IgnorePattern]:
    """The pattern that excludes ``path`` itself (unless it is a partly re-included directory)."""
    if not context.is_ignored(path):
        return []
    if not context.exists(path):
        return _text_alone(context, path)
    if not context.truncated and _under(context.listing.included_files, path):
        return []  # an exception re-includes some of its files
    return _excluders(context, [path])


def _directory_contents(context: BuildContext, path: str) -> list[IgnorePattern]:
    """Patterns that exclude every file of the (not excluded) directory ``path``, or ``[]``."""
    listing = context.listing
    if context.truncated or not _contains(listing.directories, path):
        return []
    entries = [*_under(listing.files, path), *_under(listing.pruned, path)]
    if not entries or _under(listing.included_files, path):
        return []
    return _excluders(context, entries)


def _verdict(context: BuildContext, node: ast.Copy, source: ContextSource) -> _Verdict | None:
    shown = f"`{source.word.text}`"
    if source.path == ".":
        subject = "Every file of the build context is"
        consequence = f"`{node.keyword.text} {source.word.text}` copies nothing"
        patterns = _whole_context(context)
    elif source.wildcard:
        subject = f"Every match of {shown} is"
        consequence = "the build fails with no source files"
        patterns = _wildcard(context, source.path)
    else:
        subject = f"{shown} is"
        consequence = "the builder never receives it"
        patterns = _path_itself(context, source.path)
        if not patterns:
            subject = f"Every file under {shown} is"
            consequence = "an empty directory is copied"
            patterns = _directory_contents(context, source.path)
    return _Verdict(subject, consequence, patterns) if patterns else None


def _lines(patterns: list[IgnorePattern]) -> str:
    shown = ", ".join(f"{p.line} (`{p.text}`)" for p in patterns[:_MAX_LINES])
    more = " and others" if len(patterns) > _MAX_LINES else ""
    return ("line " if len(patterns) == 1 else "lines ") + shown + more


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    context = model.context
    if context is None or context.ignore_file is None or not context.patterns:
        return
    ignore_file = context.ignore_file.name
    elsewhere = sources_elsewhere(model)
    for node in model.instructions(ast.Copy):
        for source in context_sources(node, model):
            verdict = _verdict(context, node, source)
            if verdict is None:
                continue
            if elsewhere is not None:
                # The ignore file is judged against a folder the build does not read.
                yield ctx.finding(elsewhere.named[0].span, elsewhere.describe())
                return
            yield ctx.finding(
                source.word.span,
                f"{verdict.subject} excluded by `{ignore_file}` {_lines(verdict.patterns)}, "
                f"so {verdict.consequence}; change the ignore file (a `!` line re-includes a "
                "path) or this source",
            )


RULE = Rule(
    code="DF404",
    name="copy-ignored-path",
    summary="COPY/ADD source excluded by .dockerignore",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    buildkit=("CopyIgnoredFile",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("context", "correctness"),
    needs=Needs(instructions=("COPY", "ADD")),
)
