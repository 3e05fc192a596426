"""A project's ``.hadolint.yaml`` as dflint settings, for projects without a dflint config.

hadolint reads ``$PWD/.hadolint.yaml`` (then per-user files); dflint looks in each
Dockerfile's folder and its parents, then in the working directory, and never reads
per-user files, so a lint result depends on the project only. The keys map like this
(README, "Coming from hadolint"):

=========================  ==========================================================
``ignored``                ``ignore`` (DL codes through rule equivalents, SC codes)
``override``               ``severity``; overriding an opt-in rule (DL3057) enables it
``trustedRegistries``      ``trusted-registries`` of the rule equivalent to DL3026
``label-schema``           ``[rules.<group>] schema`` of the DL3049 rule's option group
``strict-labels``          ``[rules.<group>] strict-labels``
``failure-threshold``      ``fail-level`` (``none`` -> ``never``, ``ignore`` -> ``style``)
``no-fail``                ``fail-level = "never"``
``disable-ignore-pragma``  ``hadolint-pragmas = false``
``format``, ``formats``,   accepted and not used (output options belong to the command
``no-color``, ``verbose``  line)
=========================  ==========================================================

Unknown keys and bad values are errors naming the file and the key (hadolint silently
discards such a file, which hides a broken gate).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dflint.options import OptionsError
from dflint.registry import AnyRule, Registry, SelectorError
from dflint.settings import ConfigError, Settings

HADOLINT_FILES = (".hadolint.yaml", ".hadolint.yml")
_CODE_RE = re.compile(r"^(?:DL|SC)\d{4}$")
_LEVELS = ("error", "warning", "info", "style")
_THRESHOLDS = {
    "error": "error",
    "warning": "warning",
    "info": "info",
    "style": "style",
    "ignore": "style",  # nothing is reported at `ignore`: every finding fails
    "none": "never",
}
_LABEL_TYPES = ("text", "url", "semver", "hash", "rfc3339", "spdx", "email")
_UNUSED_KEYS = frozenset({"format", "formats", "no-color", "verbose"})
_KEYS = frozenset(
    {
        "ignored",
        "override",
        "trustedRegistries",
        "label-schema",
        "strict-labels",
        "failure-threshold",
        "no-fail",
        "disable-ignore-pragma",
    }
    | _UNUSED_KEYS
)


def is_hadolint_file(path: Path) -> bool:
    return path.suffix in (".yaml", ".yml")


def find_hadolint_config(start: Path, cwd: Path | None = None) -> Path | None:
    """The nearest ``.hadolint.yaml``/``.yml`` from ``start``'s folder up, else in ``cwd``."""
    directory = start if start.is_dir() else start.parent
    folders = [directory.resolve(), *directory.resolve().parents]
    if cwd is not None and cwd.resolve() not in folders:
        folders.append(cwd.resolve())
    for folder in folders:
        for name in HADOLINT_FILES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
    return None


def load(path: Path, registry: Registry | None = None) -> Settings:
    """Read ``path`` and map it onto dflint settings (``ConfigError`` when it is bad)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read hadolint configuration: {exc}") from exc
    import yaml  # here: most runs have no hadolint file, and yaml costs ~10 ms to import

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        # One line: PyYAML's message spans several, with a code frame.
        problem = getattr(exc, "problem", None) or "cannot parse"
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(f"{path}: invalid YAML: {problem}{where}") from exc
    if registry is None:
        from dflint.registry import default_registry

        registry = default_registry()
    return to_settings({} if data is None else data, path, registry)


def to_settings(data: object, path: Path, registry: Registry) -> Settings:
    mapper = _Mapper(path, registry)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a hadolint configuration must be a mapping of keys")
    for key in data:
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"{path}: unknown hadolint key `{key}` (known: {known})")
    mapper.ignored(data.get("ignored"))
    mapper.override(data.get("override"))
    mapper.trusted(data.get("trustedRegistries"))
    mapper.labels(data.get("label-schema"), data.get("strict-labels"))
    mapper.fail_level(data.get("failure-threshold"), data.get("no-fail"))
    pragma = mapper.boolean("disable-ignore-pragma", data.get("disable-ignore-pragma"))
    if pragma:
        mapper.table["hadolint-pragmas"] = False
    try:
        return Settings.from_table(mapper.table)
    except OptionsError as exc:  # not expected: the mapper checks every value
        raise ConfigError(f"{path}: {exc}") from exc


class _Mapper:
    def __init__(self, path: Path, registry: Registry) -> None:
        self.path = path
        self.registry = registry
        self.table: dict[str, Any] = {}
        self.rules: dict[str, dict[str, Any]] = {}
        self.extend_select: list[str] = []

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}: `{key}`: {message}")

    def codes(self, key: str, value: object) -> list[str]:
        """A list of DL/SC codes; codes dflint has no rule for are dropped (nothing to do)."""
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, f"expected a list of rule codes, got {value!r}")
        out = []
        for code in value:
            if not _CODE_RE.match(code):
                raise self.error(key, f"{code!r} is not a hadolint rule code (DLxxxx or SCxxxx)")
            try:
                self.registry.match(code)
            except SelectorError:
                continue  # e.g. a DL code no installed rule implements
            out.append(code)
        return out

    def boolean(self, key: str, value: object) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {value!r}")
        return value

    def ignored(self, value: object) -> None:
        codes = self.codes("ignored", value)
        if codes:
            self.table["ignore"] = codes

    def override(self, value: object) -> None:
        if value is None:
            return
        if not isinstance(value, dict):
            raise self.error("override", f"expected a mapping of levels to codes, got {value!r}")
        severity: dict[str, str] = {}
        for level, codes in value.items():
            if level not in _LEVELS:
                raise self.error(
                    f"override.{level}", f"unknown level (expected one of {', '.join(_LEVELS)})"
                )
            for code in self.codes(f"override.{level}", codes):
                severity[code] = level
                rules, _ = self.registry.match(code)
                if any(not r.default_enabled for r in rules):
                    self.extend_select.append(code)  # hadolint: overriding turns it on
        if severity:
            self.table["severity"] = severity
        if self.extend_select:
            self.table["extend-select"] = list(dict.fromkeys(self.extend_select))

    def _rule_for(self, key: str, code: str) -> AnyRule:
        rules = self.registry.equivalent(code)
        if not rules:
            raise self.error(key, f"no installed dflint rule implements {code}")
        return rules[0]

    def _enable(self, rule: AnyRule) -> None:
        if not rule.default_enabled:
            self.extend_select.append(rule.code)
            self.table["extend-select"] = list(dict.fromkeys(self.extend_select))

    def trusted(self, value: object) -> None:
        if value is None:
            return
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(
                "trustedRegistries", f"expected a list of registry names, got {value!r}"
            )
        rule = self._rule_for("trustedRegistries", "DL3026")
        self.rules.setdefault(rule.name, {})["trusted-registries"] = list(value)
        self.table["rules"] = self.rules
        self._enable(rule)

    def labels(self, schema: object, strict: object) -> None:
        strict_labels = self.boolean("strict-labels", strict)
        if schema is None and strict is None:
            return
        key = "label-schema" if schema is not None else "strict-labels"
        rule = self._rule_for(key, "DL3049")
        group = self.rules.setdefault(rule.option_group or rule.name, {})
        if schema is not None:
            if not isinstance(schema, dict):
                raise self.error(
                    "label-schema", f"expected a mapping of labels to types, got {schema!r}"
                )
            for label, kind in schema.items():
                if not isinstance(label, str) or kind not in _LABEL_TYPES:
                    raise self.error(
                        f"label-schema.{label}",
                        f"unknown label type {kind!r} (expected one of {', '.join(_LABEL_TYPES)})",
                    )
            group["schema"] = dict(schema)
        if strict is not None:
            group["strict-labels"] = strict_labels
        self.table["rules"] = self.rules
        for other in self.registry.rules:  # hadolint: the schema switches the label rules on
            if other is rule or (rule.option_group and other.option_group == rule.option_group):
                self._enable(other)

    def fail_level(self, threshold: object, no_fail: object) -> None:
        if threshold is not None:
            if threshold not in _THRESHOLDS:
                raise self.error(
                    "failure-threshold",
                    f"expected one of {', '.join(_THRESHOLDS)}, got {threshold!r}",
                )
            self.table["fail-level"] = _THRESHOLDS[str(threshold)]
        if self.boolean("no-fail", no_fail):
            self.table["fail-level"] = "never"
