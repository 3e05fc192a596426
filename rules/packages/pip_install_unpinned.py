"""`pip install` of a package without a version.

## What it does
Flags each requirement of `pip install` (also `pip3`, `python -m pip`, `pipx install`
and `uv pip install`, behind `sudo`/`env`, in `sh -c` strings, heredoc scripts, exec
form and `ONBUILD RUN`) that has no version specifier (`==`, `~=`, `>=`, `<`, `!=`,
`@ URL`). Requirement and constraint files (`-r`, `-c`), editable installs (`-e`),
local paths, wheel and sdist files, plain archive URLs and VCS URLs with an `@ref`
pass; a VCS URL without a ref does not.

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
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ._sh_pip import pip_installs
from ._sh_runs import scripts

_SPECIFIER = ("=", "<", ">", "~", "!", "@")
_ARCHIVES = (".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2", ".tar.xz", ".tar")
_FILES = ("-r", "--requirement", "-c", "--constraint", "-e", "--editable")


def _unpinned(requirement: str) -> bool:
    if requirement.startswith((".", "/", "~")) or requirement.endswith(_ARCHIVES):
        return False  # a local project, a wheel or sdist file, an archive URL
    if requirement.startswith(("git+", "hg+", "svn+", "bzr+")):
        return "@" not in requirement.split("://", 1)[-1].split("/", 1)[-1]
    if "/" in requirement and "://" not in requirement:
        return False  # a relative directory: `pip install src/pkg`
    return not any(ch in requirement for ch in _SPECIFIER)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        for install in pip_installs(site.script):
            if install.has_option(*_FILES):
                continue  # versions come from the requirement or constraint file
            for word in install.requirements:
                if word.value is None or not _unpinned(word.value):
                    continue
                if "://" in word.value:
                    how = f"a tag or commit (`{word.value}@<ref>`)"
                else:
                    how = f"a version (`{word.value.split('[', 1)[0]}==<version>`)"
                yield ctx.finding(
                    word.span,
                    f"Pin `{word.value}` to {how} so that every build installs the same thing",
                )


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
)
