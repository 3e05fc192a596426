"""`pip install` of a package without a version.

## What it does
Flags `pip install` commands (also `pip3`, `python -m pip`, `pipx install` and `uv pip
install`, behind `sudo`/`env`, in `sh -c` strings, heredoc scripts, exec form and
`ONBUILD RUN`) with requirements that have no version specifier (`==`, `~=`, `>=`, `<`,
`!=`, `@ URL`): one finding per command, on its first unpinned requirement, that names
them all (the others are related locations). Option values are not requirements, uv's
included (`--index-strategy unsafe-best-match`, `--python 3.12`). Requirement and
constraint files (`-r`, `-c`; uv's `--requirements`, `--constraints`, `--overrides`),
editable installs (`-e`), local paths, wheel and sdist files, plain archive URLs and VCS
URLs with an `@ref` pass; a VCS URL without a ref does not.

## Why is this bad?
Without a version, each build installs whatever is newest on the index that day. The
image stops being reproducible and a new major release can break the build, or the
application, without any change to the Dockerfile.

## Example
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir flask
```

## Use instead
```dockerfile
FROM python:3.12-slim
RUN pip install --no-cache-dir flask==3.0.3
```

## References
- [pip: requirement specifiers](https://pip.pypa.io/en/stable/reference/requirement-specifiers/)
- [hadolint DL3013](https://github.com/hadolint/hadolint/wiki/DL3013)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pins import Unpinned, pin_finding, spec_message
from ._pkg_rules import package_values
from ._sh_pip import pip_installs
from ._sh_runs import scripts

_SPECIFIER = ("=", "<", ">", "~", "!", "@")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".tar")
_FILES = ("-r", "--requirement", "-c", "--constraint", "-e", "--editable")
# uv's spellings: `--requirements`, `--constraints`, `--overrides` (plural)
_FILES_UV = (*_FILES, "--requirements", "--constraints", "--override", "--overrides")


def _unpinned(requirement: str) -> bool:
    if requirement.startswith((".", "/", "~")) or requirement.endswith(_ARCHIVES):
        return False  # a local project, a wheel or sdist file, an archive URL
    if requirement.startswith(("git+", "hg+", "svn+", "bzr+")):
        return "@" not in requirement.split("://", 1)[-1].split("/", 1)[-1]
    if "/" in requirement and "://" not in requirement:
        return False  # a relative directory: `pip install src/pkg`
    return not any(ch in requirement for ch in _SPECIFIER)


def _is_url(spec: str) -> bool:
    return "://" in spec


def _message(found: list[Unpinned]) -> str:
    return spec_message(
        found, lambda s: f"{s.split('[', 1)[0]}==<version>", "@<ref>", _is_url, "a VCS URL"
    )


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        for install in pip_installs(site.script):
            if install.has_option(*(_FILES_UV if install.tool == "uv pip" else _FILES)):
                continue  # versions come from the requirement or constraint file
            found = [
                (word, value)
                for word in install.requirements
                for value in package_values(model, site.node, word, site.script) or ()
                if _unpinned(value)
            ]
            if not found:
                continue
            yield pin_finding(ctx, found, _message(found), lambda spec: f"Pin `{spec}`")


RULE = Rule(
    code="DF338",
    name="pip-install-unpinned",
    summary="`pip install` without a version",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3013",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("reproducibility", "supply-chain"),
    # pip, pip3, pip3.12, pipx; `python -m pip`; `uv pip`
    needs=Needs(programs=("pip*", "python*", "uv")),
)
