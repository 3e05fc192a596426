"""A base image whose version has reached end of life.

## What it does
Checks the image of every `FROM` (after resolving `ARG` defaults) against a table of
end-of-life dates shipped with dflint for popular images: Ubuntu and Debian (by number
and codename, also as a tag suffix such as `python:3.8-slim-buster`), Alpine, CentOS,
Fedora, Python, Node.js, Go, Ruby, PHP, Eclipse Temurin and PostgreSQL, plus images
that are deprecated as a whole (`openjdk`, `centos`). The table's date is printed by
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

from collections.abc import Iterator, Mapping
from datetime import date

from dflint.model import Model
from dflint.model.images import ImageRef
from dflint.rule import Context, Finding, FixAvailability, Options, Rule, Severity, option

# Relative: the pack is installed as `dflint_rules` but lives in `rules/` in the source tree.
from ._eol_data import DEPRECATED, EOL, LAST_UPDATED, TAG_OS_VARIANTS


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


def reasons(ref: ImageRef, today: date, extra: Mapping[str, Mapping[str, date]]) -> list[str]:
    name = ref.name
    out: list[str] = []
    if name in DEPRECATED:
        out.append(DEPRECATED[name])
    tag = (ref.tag or "").lower()
    if not tag:
        return out
    table = {**EOL.get(name, {}), **extra.get(name, {}), **extra.get(ref.full_name, {})}
    hit = _lookup(table, tag)
    if hit is not None and hit[1] <= today:
        out.append(f"{name} {hit[0]} reached end of life on {hit[1].isoformat()}")
    for token in tag.split("-")[1:]:
        os_variant = TAG_OS_VARIANTS.get(token)
        if os_variant is None:
            continue
        os_name, codename = os_variant
        eol = EOL[os_name][codename]
        if eol <= today and os_name != name:
            out.append(f"its {os_name} {codename} base reached end of life on {eol.isoformat()}")
    return out


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
)
