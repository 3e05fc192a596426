"""The installed entry points of one group, found without importing :mod:`importlib.metadata`.

Importing :mod:`importlib.metadata` (with :mod:`email`, :mod:`zipfile`, :mod:`csv` and
:mod:`pathlib` behind it) was 14% of a ``dflint check`` cold start (113M of 828M
instructions, ``valgrind --tool=callgrind python -m dflint check --isolated
Dockerfile``, 2026-12-07), for reading one small text file per installed distribution.
:func:`entry_points` reads those files as :mod:`importlib.metadata` does for the common
layout (``*.dist-info`` and ``*.egg-info`` folders in the folders of ``sys.path``; the
first distribution of a name on the path wins) and hands over to it for anything else:
a zip file on the path, or an import hook that provides distributions of its own.
The test suite checks that both find the same entry points in the test environment.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterator
from typing import Any

from dflint.records import record

_SUFFIXES = (".dist-info", ".egg-info")


@record
class EntryPoint:
    """What dflint uses of :class:`importlib.metadata.EntryPoint`."""

    name: str
    value: str  # ``module:attribute`` (optionally ``[extras]``)
    group: str
    dist_folder: str | None = None  # its distribution's metadata folder, when read here
    dist_label: str | None = None  # its distribution's name, when known already

    @property
    def dist_name(self) -> str | None:
        """The name of the distribution that declares it (its metadata's ``Name``)."""
        if self.dist_label is not None or self.dist_folder is None:
            return self.dist_label
        for file in ("METADATA", "PKG-INFO"):
            try:
                with open(os.path.join(self.dist_folder, file), encoding="utf-8") as f:
                    for line in f:
                        if not line.strip():
                            break  # the headers end at the first empty line
                        if line.lower().startswith("name:"):
                            return line.split(":", 1)[1].strip()
            except OSError:
                continue
        return os.path.basename(self.dist_folder).rsplit(".", 1)[0].split("-", 1)[0]

    def load(self) -> Any:
        """The object the entry point names (its module imported)."""
        target = self.value.split("[", 1)[0].strip()
        module_name, _, attribute = target.partition(":")
        found: Any = importlib.import_module(module_name.strip())
        for part in attribute.strip().split(".") if attribute.strip() else ():
            found = getattr(found, part)
        return found


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of ``group`` of every installed distribution, in ``sys.path``
    order (as :func:`importlib.metadata.entry_points` returns them)."""
    if not _plain_path():
        return _from_importlib(group)
    found: list[EntryPoint] = []
    seen: set[str] = set()
    for folder in sys.path:
        for dist_name, info in _distributions(folder or "."):
            key = _normalized(dist_name)
            if key in seen:
                continue
            seen.add(key)
            try:
                with open(os.path.join(info, "entry_points.txt"), encoding="utf-8") as f:
                    text = f.read()
            except OSError:
                continue
            found.extend(_parse(text, group, info))
    return found


def _plain_path() -> bool:
    """Whether every distribution is a folder this module can read: no zip file on
    ``sys.path`` and no import hook besides the standard one that finds distributions."""
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and hasattr(finder, "find_distributions"):
            return False
    return all(not os.path.isfile(entry) for entry in sys.path if entry)


def _distributions(folder: str) -> Iterator[tuple[str, str]]:
    """(distribution name, metadata folder) of the distributions installed in ``folder``."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not name.endswith(_SUFFIXES):
            continue
        try:
            if not entry.is_dir():
                continue  # a PKG-INFO file named *.egg-info: no entry points
        except OSError:
            continue
        stem = name.rsplit(".", 1)[0]
        yield stem.split("-", 1)[0], entry.path


def _normalized(name: str) -> str:
    """PEP 503's normalized name (``Foo.Bar_baz`` and ``foo-bar-baz`` are one)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse(text: str, group: str, folder: str) -> Iterator[EntryPoint]:
    """The entries of section ``[group]`` of an ``entry_points.txt`` (INI, ``=`` only;
    a line without ``=`` is skipped where importlib.metadata would raise)."""
    section: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section != group:
            continue
        name, sep, value = line.partition("=")
        if sep:
            yield EntryPoint(name.strip(), value.strip(), group, dist_folder=folder)


def _from_importlib(group: str) -> list[EntryPoint]:
    from importlib.metadata import entry_points as installed

    return [
        EntryPoint(
            ep.name, ep.value, group, dist_label=ep.dist.name if ep.dist is not None else None
        )
        for ep in installed(group=group)
    ]
