"""Path facts shared by the WORKDIR and COPY destination rules."""

from __future__ import annotations

import re

# ``C:\app``, ``c:/app`` and ``C:`` are absolute for Windows containers.
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:(?:[\\/]|$)")


def is_absolute(path: str) -> bool:
    return path.startswith(("/", "\\")) or bool(_WINDOWS_ABSOLUTE.match(path))
