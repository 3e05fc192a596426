"""One finding per install command for the version-pinning rules.

A long `apt-get install` with twelve unpinned packages is one decision (pin them, or
not), so the pinning rules (apt, apk, dnf, yum, zypper, pip, npm, gem, go) report it
once: the span on the first unpinned package, the message naming them all (the first
few, then how many more), and every other package as a related location.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from typing import TypeVar

from dflint.model import Model
from dflint.model.shell import ShellWord
from dflint.rule import Context, Finding, Options, Related

from ._pkg_rules import unpinned_rpm_packages

OptionsT = TypeVar("OptionsT", bound=Options)

# How many packages a message names before "and N more".
_NAMED = 6

# (the word as written, the package it stands for): a `$PACKAGES` word may stand for several
Unpinned = tuple[ShellWord, str]


def source(word: ShellWord) -> str:
    """`` (from `$TOOLS`)`` for a package that comes from a variable, else ""."""
    return "" if word.value is not None else f" (from `{word.text}`)"


def named(found: Sequence[Unpinned]) -> str:
    """```curl`` ``, ```curl`` and ``git`` ``, ```a``, ``b``, ... and 3 more``."""
    items = list(dict.fromkeys(f"`{name}`{source(word)}" for word, name in found))
    if len(items) > _NAMED + 1:
        items = [*items[:_NAMED], f"{len(items) - _NAMED} more"]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def several(found: Sequence[Unpinned]) -> bool:
    """Whether ``found`` names more than one package (for "version" or "versions")."""
    return len({name for _, name in found}) > 1


def pin_finding(
    ctx: Context[OptionsT], found: Sequence[Unpinned], message: str, note: Callable[[str], str]
) -> Finding:
    """The one finding of an install command: on the first word of ``found``, the other
    words as related locations, each saying ``note(package)``."""
    first = found[0][0].span
    seen = {first}
    related: list[Related] = []
    for word, name in found[1:]:
        if word.span not in seen:
            seen.add(word.span)
            related.append(Related(word.span, note(name) + source(word)))
    return ctx.finding(first, message, related=tuple(related))


def version_finding(ctx: Context[OptionsT], found: Sequence[Unpinned], example: str) -> Finding:
    """The finding of a system package manager's install: "Pin the versions of `a` and
    `b`: `apt-get install a=<version>`" (``example`` is the command to show)."""
    versions = "versions" if several(found) else "version"
    return pin_finding(
        ctx,
        found,
        f"Pin the {versions} of {named(found)}: `{example}`",
        lambda name: f"Pin the version of `{name}`",
    )


def spec_message(
    found: Sequence[Unpinned],
    version: Callable[[str], str],
    ref: str,
    is_repository: Callable[[str], bool],
    repository: str,
) -> str:
    """The message of a language package manager's install (pip, npm): "Pin `a` to a
    version (`a==<version>`)", "Pin `a` and `b` to versions (...)". ``version(spec)`` is
    a pinned example, ``ref`` the suffix that pins a ``repository`` (``@<ref>``)."""
    first = found[0][1]
    if not several(found):
        if is_repository(first):
            how = f"a tag or commit (`{first}{ref}`)"
        else:
            how = f"a version (`{version(first)}`)"
        return f"Pin `{first}` to {how} so that every build installs the same thing"
    packages = [spec for _, spec in found if not is_repository(spec)]
    if not packages:
        to = f"tags or commits (`{ref}`)"
    else:
        to = f"versions (`{version(packages[0])}`"
        to += f", `{ref}` for {repository})" if len(packages) < len(found) else ")"
    return f"Pin {named(found)} to {to} so that every build installs the same thing"


def rpm_findings(
    model: Model, ctx: Context[OptionsT], managers: Collection[str], command: str | None
) -> Iterator[Finding]:
    """The findings of the yum/dnf pinning rules: unpinned packages of ``install`` and
    module specs without a stream; ``command`` is how the install reads in a message
    (None: as written, `microdnf install`)."""
    for use, found, module in unpinned_rpm_packages(model, managers):
        first = found[0][1]
        if module:
            streams = "streams" if several(found) else "stream"
            message = f"Pin the {streams} of module {named(found)}: `{first}:<stream>`"
            yield pin_finding(ctx, found, message, lambda n: f"Pin the stream of module `{n}`")
        else:
            yield version_finding(ctx, found, f"{command or use.written} {first}-<version>")
