"""A rule pack's manifest: every rule's declaration without importing its module.

Importing the built-in pack's ~95 rule modules was a third of a cold ``dflint check`` of
one small file. With a manifest (``manifest.json`` beside the pack's ``__init__.py``)
the registry builds each :class:`~dflint.rule.Rule` from plain data, and the rule's
module is imported the first time its ``check`` (or ``prefetch``) runs; the engine runs
a rule only on a file that holds its :class:`~dflint.rule.Needs`, so a small file imports
the modules of the rules that can say something about it.

The manifest is generated (``python -m dflint.registry dflint_rules``) and shipped; a
test keeps the shipped one equal to what the modules declare. It is used only while
its fingerprint, the names and sizes of the pack's ``.py`` files, matches the files
on disk: an edited rule module makes the pack load the ordinary way (every module
imported) until the manifest is written again. An edit that keeps a file's size is
caught when the module is imported: its ``RULE`` must equal the manifest's, or the rule
fails (reported as DF000 rule-crashed) saying so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from dflint.rule import FixAvailability, Needs, NoOptions, Rule, Severity, Status

FILE_NAME = "manifest.json"
VERSION = 1

AnyRule = Rule[Any]


class StaleManifest(Exception):
    """A rule module declares something else than the pack's manifest says."""


def fingerprint(root: Path) -> list[str]:
    """The names and sizes of the ``.py`` files under ``root`` (no ``__pycache__``), as
    ``folder/name:size``: kept whole, not hashed (a hash function's import cost ~3% of a
    cold start)."""
    parts: list[str] = []
    for folder, names, files in os.walk(root):
        names[:] = sorted(n for n in names if n != "__pycache__")
        rel = os.path.relpath(folder, root)
        for name in sorted(files):
            if name.endswith(".py"):
                size = os.stat(os.path.join(folder, name)).st_size
                parts.append(f"{rel}/{name}:{size}")
    return parts


# -- writing ------------------------------------------------------------------------------
def _encode(rule: AnyRule, module: str) -> dict[str, Any]:
    out: dict[str, Any] = {"module": module}
    for f in dataclasses.fields(rule):
        value = getattr(rule, f.name)
        if f.name == "check":
            continue  # the module's
        elif f.name == "prefetch":
            out[f.name] = value is not None
        elif f.name == "options":
            out[f.name] = None if value is NoOptions else f"{value.__module__}:{value.__qualname__}"
        elif f.name == "needs":
            out[f.name] = (
                None
                if value is None
                else {"instructions": list(value.instructions), "programs": list(value.programs)}
            )
        elif isinstance(value, Enum):
            out[f.name] = value.value
        elif isinstance(value, frozenset):
            out[f.name] = sorted(value)
        elif isinstance(value, (tuple, list)):
            out[f.name] = list(value)
        elif value is None or isinstance(value, (str, bool, int)):
            out[f.name] = value
        else:  # a new kind of field: teach the manifest about it
            raise TypeError(f"{rule.code}: cannot write field {f.name!r} ({type(value)})")
    return out


def _root(package: str) -> Path:
    return Path(importlib.import_module(package).__path__[0])


def build(package: str, rules: Sequence[tuple[str, AnyRule]]) -> dict[str, Any]:
    """The manifest of ``package`` whose rules are ``rules`` (module name, rule)."""
    return {
        "version": VERSION,
        "fingerprint": fingerprint(_root(package)),
        "rules": [_encode(rule, module) for module, rule in rules],
    }


def write(package: str, rules: Sequence[tuple[str, AnyRule]]) -> Path:
    """Write the manifest of ``package``, whose modules declare ``rules``."""
    path = _root(package) / FILE_NAME
    data = build(package, rules)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path


# -- reading ------------------------------------------------------------------------------
class _Deferred:
    """A rule module's ``RULE.check`` (or ``prefetch``), imported on the first call."""

    def __init__(self, module: str, attribute: str) -> None:
        self.__module__ = module
        self._attribute = attribute
        # The rule the manifest declared, which the module's RULE must equal (set by
        # _decode; None once pickled: the sending process checked it).
        self.declared: AnyRule | None = None
        self._target: Callable[..., Any] | None = None

    def __call__(self, *args: Any) -> Any:
        target = self._target  # called for every file: one call, once loaded
        if target is None:
            target = self.load()
        return target(*args)

    def load(self) -> Callable[..., Any]:
        """Import the module (once) and return what it declares."""
        target = self._target
        if target is None:
            rule = importlib.import_module(self.__module__).RULE
            declared = self.declared
            if declared is not None and _metadata(rule) != _metadata(declared):
                raise StaleManifest(
                    f"{self.__module__} declares another RULE than the pack's {FILE_NAME}: "
                    f"write it again with `python -m dflint.registry "
                    f"{self.__module__.split('.')[0]}`"
                )
            target = self._target = getattr(rule, self._attribute)
        return target

    def __repr__(self) -> str:
        return f"<deferred {self.__module__}.RULE.{self._attribute}>"

    def __reduce__(self) -> tuple[Any, ...]:
        # A pool that cannot fork pickles the rules for its workers: by name, as a
        # module-level function is (the module was checked against the manifest here).
        return (_Deferred, (self.__module__, self._attribute))


def import_modules(rules: Sequence[AnyRule]) -> None:
    """Import the modules of ``rules`` read from a manifest now (a process about to fork
    workers that will run most of them)."""
    for rule in rules:
        for hook in (rule.check, rule.prefetch):
            if isinstance(hook, _Deferred):
                with contextlib.suppress(StaleManifest):  # reported when the rule runs
                    hook.load()


def _metadata(rule: AnyRule) -> tuple[Any, ...]:
    return tuple(
        getattr(rule, f.name)
        for f in dataclasses.fields(rule)
        if f.name not in ("check", "prefetch")
    )


def _options(ref: str | None) -> type[Any]:
    if ref is None:
        return NoOptions
    module, _, name = ref.partition(":")
    found: Any = importlib.import_module(module)
    for part in name.split("."):
        found = getattr(found, part)
    return found  # type: ignore[no-any-return]


def _decode(entry: dict[str, Any]) -> AnyRule:
    module = entry["module"]
    needs = entry["needs"]
    rule: AnyRule = Rule(
        code=entry["code"],
        name=entry["name"],
        summary=entry["summary"],
        severity=Severity(entry["severity"]),
        fix=FixAvailability(entry["fix"]),
        since=entry["since"],
        doc=entry["doc"],
        options=_options(entry["options"]),
        check=_Deferred(module, "check"),
        hadolint=tuple(entry["hadolint"]),
        buildkit=tuple(entry["buildkit"]),
        per_finding_equivalents=entry["per_finding_equivalents"],
        aliases=tuple(entry["aliases"]),
        status=Status(entry["status"]),
        default_enabled=entry["default_enabled"],
        tags=tuple(entry["tags"]),
        shells=frozenset(entry["shells"]),
        after_suppression=entry["after_suppression"],
        option_group=entry["option_group"],
        external_prefix=entry["external_prefix"],
        prefetch=_Deferred(module, "prefetch") if entry["prefetch"] else None,
        needs=None
        if needs is None
        else Needs(tuple(needs["instructions"]), tuple(needs["programs"])),
    )
    for hook in (rule.check, rule.prefetch):
        if isinstance(hook, _Deferred):
            hook.declared = rule
    return rule


def load(package: str) -> list[tuple[str, AnyRule]] | None:
    """(module name, rule) of every rule of ``package`` from its manifest, or None when it
    has none or it does not match the files (see the module docstring)."""
    root = _root(package)
    try:
        text = (root / FILE_NAME).read_text("utf-8")
    except OSError:
        return None
    try:
        data = json.loads(text)
        if data.get("version") != VERSION or data.get("fingerprint") != fingerprint(root):
            return None
        return [(entry["module"], _decode(entry)) for entry in data["rules"]]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # not a manifest this version can read: load the modules
