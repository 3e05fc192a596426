"""A base image whose version has reached end of life.

## What it does
Checks the image of every `FROM` (after resolving `ARG` defaults) against a table of
end-of-life dates shipped with dflint for popular images: Ubuntu and Debian (by number
and codename, also as a tag word such as `python:3.8-slim-buster` or `rust:buster`),
Alpine (also as a tag suffix such as `node:22-alpine3.17`), CentOS, Fedora, Python,
Node.js, Go, Ruby, PHP, Eclipse Temurin, PostgreSQL and .NET
(`mcr.microsoft.com/dotnet/sdk`, `aspnet`, `runtime`), plus images that are deprecated
as a whole (`openjdk`, `centos`, `java`, `django`, `rails`). The per-architecture copies
of the official images (`arm32v7/debian`, `amd64/python`) are the same images.

A version the table has no entry for is judged from the entries it has: a major-only tag
(`php:7-apache`, `ruby:2`) is the newest release of that major, end of life when that
release is and a newer major exists; a version older than every entry (`golang:1.10`)
is end of life no later than the oldest one. The table's date is printed by
`dflint rule eol-base-image`; the `extra` option extends it.

## Why is this bad?
An end-of-life release gets no more security fixes: every new vulnerability in it stays
open for good, and scanners will flag the image forever. Upgrading later, under
pressure, is harder than upgrading on schedule.

## Example
```dockerfile
FROM python:3.7-slim-buster
```

## Use instead
```dockerfile
FROM python:3.13-slim-bookworm
```

## Options
- `extra`: more end-of-life dates, `{ image = { version = date } }`, e.g.
  `extra = { "myorg/base" = { "1" = 2025-01-31 } }`; entries override the shipped table.
- `as-of`: the date to compare with (default: today), for reproducible results.

## References
- [endoflife.date](https://endoflife.date/) lists support periods of most products.
"""

import re
from collections.abc import Iterator, Mapping
from datetime import date

from dflint.lazy_re import lazy
from dflint.model import Model
from dflint.model.images import ImageRef
from dflint.rule import Context, Finding, FixAvailability, Needs, Options, Rule, Severity, option

# Relative: the pack is installed as `dflint_rules` but lives in `rules/` in the source tree.
from ._eol_data import DEPRECATED, EOL, LAST_UPDATED, PRODUCTS, TAG_OS_VARIANTS
from ._official_images import official_name


class EolOptions(Options):
    extra: dict[str, dict[str, date]] = option(default_factory=dict)
    as_of: date | None = option(default=None, key="as-of")


def _version_matches(tag: str, version: str) -> bool:
    """``3.8`` matches ``3.8``, ``3.8.18``, ``3.8-slim`` but not ``3.80``."""
    if not tag.startswith(version):
        return False
    rest = tag[len(version) :]
    return not rest or rest[0] in ".-_"


def _lookup(table: Mapping[str, date], tag: str) -> tuple[str, date] | None:
    best: tuple[str, date] | None = None
    for version, eol in table.items():
        if _version_matches(tag, version) and (best is None or len(version) > len(best[0])):
            best = (version, eol)
    return best


_LEADING_VERSION = lazy(r"(\d+(?:\.\d+)*)(?:$|[-_])")
_ALPINE_SUFFIX = re.compile(r"alpine(\d+\.\d+)")


def _numeric(version: str) -> tuple[int, ...] | None:
    parts = version.split(".")
    return tuple(int(p) for p in parts) if all(p.isdecimal() for p in parts) else None


def _by_line(table: Mapping[str, date], tag: str, today: date) -> str | None:
    """What the shipped table says of a version it has no entry for: a major-only tag
    (``php:7-apache``) is the newest release of that major, end of life when that release
    is and a newer major exists; a version older than every entry of the table
    (``golang:1.10``) is end of life no later than the oldest one."""
    match = _LEADING_VERSION.match(tag)
    wanted = _numeric(match.group(1)) if match else None
    if wanted is None:
        return None
    known = sorted((v, k, d) for k, d in table.items() if (v := _numeric(k)) is not None)
    if not known:
        return None
    line = [(v, k, d) for v, k, d in known if v[: len(wanted)] == wanted and v != wanted]
    written = match.group(1) if match else ""
    if line:
        newest = line[-1]
        if newest[2] <= today and any(v[0] > wanted[0] for v, _, _ in known):
            return (
                f"{written} (its newest release line, {newest[1]}) reached end of life on "
                f"{newest[2].isoformat()}"
            )
        return None
    oldest = known[0]
    if wanted < oldest[0] and oldest[2] <= today:
        eol = oldest[2].isoformat()
        return f"{written} is older than {oldest[1]}, which reached end of life on {eol}"
    return None


def reasons(ref: ImageRef, today: date, extra: Mapping[str, Mapping[str, date]]) -> list[str]:
    name = official_name(ref)
    out: list[str] = []
    if name in DEPRECATED:
        out.append(DEPRECATED[name])
    tag = (ref.tag or "").lower()
    if not tag:
        return out
    table = {
        **EOL.get(name, {}),
        **extra.get(name, {}),
        **extra.get(ref.name, {}),
        **extra.get(ref.full_name, {}),
    }
    product = PRODUCTS.get(name, name)
    hit = _lookup(table, tag)
    if hit is not None:
        if hit[1] <= today:
            out.append(f"{product} {hit[0]} reached end of life on {hit[1].isoformat()}")
    elif name in EOL:
        line = _by_line(EOL[name], tag, today)
        if line is not None:
            out.append(f"{product} {line}")
    # A codename alone (`rust:buster`) is a base only for an official image; another
    # publisher's `myorg/tools:stretch` may mean anything.
    tokens = tag.split("-")
    for token in tokens if "/" not in name else tokens[1:]:
        base = _os_base(token)
        if base is None:
            continue
        os_name, version = base
        eol = EOL[os_name][version]
        if eol <= today and os_name != name:
            out.append(f"its {os_name} {version} base reached end of life on {eol.isoformat()}")
    return out


def _os_base(token: str) -> tuple[str, str] | None:
    """The distribution a tag word names: a codename (``buster``) or ``alpine3.17``."""
    if token in TAG_OS_VARIANTS:
        return TAG_OS_VARIANTS[token]
    alpine = _ALPINE_SUFFIX.fullmatch(token)
    if alpine is not None and alpine.group(1) in EOL["alpine"]:
        return ("alpine", alpine.group(1))
    return None


def check(model: Model, ctx: Context[EolOptions]) -> Iterator[Finding]:
    today = ctx.options.as_of or date.today()
    for stage in model.stages:
        ref = stage.image
        if ref is None or ref.has_variables or not ref.valid:
            continue
        found = reasons(ref, today, ctx.options.extra)
        if found and stage.node.image is not None:
            yield ctx.finding(
                stage.node.image.span,
                f"`{ref.text}` is end of life: {'; '.join(found)}; move to a supported version",
            )


RULE = Rule(
    code="DF204",
    name="eol-base-image",
    summary="End-of-life base image",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=(__doc__ or "") + f"\nThe shipped table was last updated on {LAST_UPDATED.isoformat()}.\n",
    options=EolOptions,
    check=check,
    tags=("security", "maintenance"),
    needs=Needs(instructions=("FROM",)),
)
