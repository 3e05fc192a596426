"""Installed entry points of one group, read straight from the distributions' metadata.

``importlib.metadata`` finds the same entry points, but importing it brings in the
``email``, ``zipfile`` and ``csv`` machinery it needs for other metadata: ~14 ms of every
start (``python -X importtime``), when all dflint needs is each distribution's
``entry_points.txt``. This module reads those files itself for the common layout (every
``sys.path`` entry a folder or absent, only the standard path finder providing
distributions) and hands anything else (zipped paths, finders of other tools) to
``importlib.metadata``, so the result is the same wherever it runs.

As ``importlib.metadata`` does, a distribution counts once (the first on ``sys.path``
wins), folders are searched in ``sys.path`` order, and an entry point's value is
``module`` or ``module:attribute.path`` with optional ``[extras]``.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from importlib.machinery import PathFinder

from dflint.records import record

_SUFFIXES = (".dist-info", ".egg-info")
_VALUE_RE = re.compile(r"(?P<module>[\w.]+)\s*(?::\s*(?P<attr>[\w.]+)\s*)?(?:\[.*\]\s*)?$")


@record
class EntryPoint:
    name: str
    value: str
    group: str
    # The distribution's metadata folder; None when importlib.metadata found it.
    folder: str | None = None
    dist_name: str | None = None

    def load(self) -> object:
        """Import the module and follow the attribute path (errors propagate)."""
        match = _VALUE_RE.match(self.value)
        if match is None:
            raise ValueError(f"malformed entry point value {self.value!r}")
        module = importlib.import_module(match.group("module"))
        attrs = (match.group("attr") or "").split(".")
        return functools.reduce(getattr, filter(None, attrs), module)

    @property
    def distribution(self) -> str:
        """The distribution's name from its metadata (its folder name when unreadable)."""
        if self.dist_name is not None:
            return self.dist_name
        if self.folder is None:
            return self.value
        for file in ("METADATA", "PKG-INFO"):
            try:
                with open(os.path.join(self.folder, file), encoding="utf-8") as fh:
                    for line in fh:
                        if not line.strip():
                            break  # end of the headers
                        key, _, value = line.partition(":")
                        if key.strip().lower() == "name" and value.strip():
                            return value.strip()
            except (OSError, UnicodeDecodeError):
                continue
        return _stem_name(os.path.basename(self.folder)) or self.value


def entry_points(group: str) -> list[EntryPoint]:
    """Every installed entry point in ``group``, in ``importlib.metadata``'s order."""
    found = _read_folders(group)
    if found is not None:
        return found
    from importlib import metadata

    return [
        EntryPoint(ep.name, ep.value, group, dist_name=ep.dist.name if ep.dist else None)
        for ep in metadata.entry_points(group=group)
    ]


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _stem_name(folder_name: str) -> str | None:
    stem, ext = os.path.splitext(folder_name)
    if ext not in _SUFFIXES:
        return None
    return stem.partition("-")[0]


def _read_folders(group: str) -> list[EntryPoint] | None:
    """The entry points when every distribution is a plain folder, else None."""
    if any(
        finder is not PathFinder and hasattr(finder, "find_distributions")
        for finder in sys.meta_path
    ):
        return None
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for entry in sys.path:
        path = entry or "."
        try:
            names = os.listdir(path)
        except NotADirectoryError:
            return None  # a zip file on sys.path: importlib.metadata reads those
        except OSError:
            continue  # absent or unreadable: importlib.metadata skips it too
        infos: list[tuple[str, str]] = []
        eggs: list[tuple[str, str]] = []
        for name in names:
            stem = _stem_name(name)
            if stem is not None:
                (infos if name.endswith(".dist-info") else eggs).append((_normalized(stem), name))
        for key, name in (*infos, *eggs):
            if key in seen:
                continue
            seen.add(key)
            folder = os.path.join(path, name)
            found.extend(_parse(_read(os.path.join(folder, "entry_points.txt")), group, folder))
    return found


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return ""


def _parse(text: str, group: str, folder: str) -> list[EntryPoint]:
    """The ``group`` section of an ``entry_points.txt`` (INI: ``[group]``, ``name = value``)."""
    points: list[EntryPoint] = []
    section: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            points.append(EntryPoint(name.strip(), value.strip(), group, folder))
    return points
