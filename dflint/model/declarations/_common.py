"""What the readers of build declarations share: the record of one declaration, the
error for a value that cannot be known, and small helpers."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dflint.records import record


@record
class Declaration:
    """One build that names a Dockerfile: its context and where that was said."""

    dockerfile: Path  # absolute
    context: Path  # absolute
    source: Path  # the declaring file
    name: str  # "service api", "target app", "job build, step 3"
    named_contexts: tuple[str, ...] = ()  # additional_contexts / contexts / build-contexts
    images: tuple[str, ...] = ()  # the image names the build tags (compose `image`, bake `tags`)
    # False when the build keeps no image: every bake `output` is `type=cacheonly` (a
    # lint or test target run for its checks).
    ships: bool = True
    # Files the service reads as environment (compose `env_file`), absolute: often a
    # local `.env` each user creates, which a copy of the whole context takes along.
    env_files: tuple[Path, ...] = ()

    @property
    def origin(self) -> str:
        return f"{self.source} ({self.name})"


class Unknowable(ValueError):
    """A value that depends on something outside the files (an unset variable)."""


def load_yaml(path: Path) -> Any:
    import yaml  # only when a compose file or a workflow exists

    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def image_names(values: list[Any], resolve: Callable[[Any], str]) -> tuple[str, ...]:
    """The image names among ``values`` that resolve (unknowable ones are left out)."""
    out: list[str] = []
    for value in values:
        if value is None:
            continue
        try:
            name = resolve(value)
        except Unknowable:
            continue
        if name and name not in out:
            out.append(name)
    return tuple(out)


def named_contexts_of(values: Any, resolve: Callable[[str], str]) -> tuple[str, ...]:
    if isinstance(values, dict):
        names = list(values)
    elif isinstance(values, list):
        names = [str(v).split("=", 1)[0] for v in values if isinstance(v, str) and "=" in v]
    else:
        return ()
    out = []
    for name in names:
        try:
            out.append(resolve(str(name)))
        except Unknowable:
            continue
    return tuple(sorted(set(out)))


def is_remote(context: str) -> bool:
    return "://" in context or context.startswith(("git@", "github.com/"))


def dockerfile_path(context: Path, dockerfile: str) -> Path:
    return Path(os.path.normpath(context / dockerfile))
