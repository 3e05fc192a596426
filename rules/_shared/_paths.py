"""Path facts shared by the WORKDIR and COPY destination rules."""

from __future__ import annotations

import posixpath
import re

from dflint import ast
from dflint.model import Model
from dflint.model.ignore import go_clean
from dflint.model.scope import Unknown

# ``C:\app``, ``c:/app`` and ``C:`` are absolute for Windows containers.
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:(?:[\\/]|$)")


def is_absolute(path: str) -> bool:
    return path.startswith(("/", "\\")) or bool(_WINDOWS_ABSOLUTE.match(path))


def in_image(model: Model, at: ast.Instruction, path: str) -> str | None:
    """``path`` as an absolute image path at instruction ``at``: a relative one is taken
    from the WORKDIR then; ``None`` when that WORKDIR is not known."""
    if not path.startswith("/"):
        workdir = model.workdir_at(at)
        if isinstance(workdir, Unknown):
            return None
        path = posixpath.join(workdir, path)
    return go_clean(path)  # as BuildKit cleans paths (`//x` is `/x`)
