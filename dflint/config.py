"""Finding and loading configuration: ``[tool.dflint]`` in ``pyproject.toml`` or a
``.dflint.toml`` (or a hadolint file, through :mod:`dflint.hadolint_config`).

Found by walking up from each Dockerfile's folder; CLI flags apply on top. Every error
names the file and the key (exit 2). The settings themselves are :mod:`dflint.settings`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dflint.options import OptionsError
from dflint.records import record
from dflint.settings import DEFAULT_SETTINGS, ConfigError, Settings

CONFIG_FILES = (".dflint.toml", "pyproject.toml")


@record
class LoadedConfig:
    settings: Settings
    path: Path | None  # None: defaults, no file


def _describe(error: OptionsError, path: Path, prefix: str) -> str:
    problems = []
    for err in error.errors():
        key = ".".join(str(p) for p in err["loc"])
        full = f"{prefix}.{key}" if prefix else key
        if err["type"] == "extra_forbidden":
            problems.append(f"unknown key `{full}`")
        elif not err["loc"]:  # about the table as a whole
            problems.append(str(err["msg"]))
        else:
            got = err.get("input")
            problems.append(f"`{full}`: {err['msg']} (got {got!r})")
    return f"{path}: invalid configuration: " + "; ".join(problems)


def _read_toml(path: Path) -> dict[str, Any]:
    # Imported here: most runs read no TOML at all (``--isolated``, no configuration).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        with path.open("rb") as fh:
            data: dict[str, Any] = tomllib.load(fh)
            return data
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:  # TOML is UTF-8
        offset = exc.start
        raise ConfigError(
            f"{path}: invalid TOML: not UTF-8 (byte 0x{exc.object[offset]:02x} at offset {offset})"
        ) from exc


def _table(path: Path, data: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("dflint") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise ConfigError(f"{path}: `tool.dflint` must be a table")
        return table, "tool.dflint"
    return data, ""


def load_file(path: Path) -> LoadedConfig:
    """Load one config file (``--config``); a pyproject.toml without the table is empty.

    A ``.yaml``/``.yml`` file is read as a hadolint configuration.
    """
    from dflint import hadolint_config

    if hadolint_config.is_hadolint_file(path):
        return LoadedConfig(hadolint_config.load(path), path)
    data = _read_toml(path)
    table, prefix = _table(path, data)
    try:
        settings = Settings.from_table(table or {})
    except OptionsError as exc:
        raise ConfigError(_describe(exc, path, prefix)) from exc
    return LoadedConfig(settings, path)


def find_config_file(start: Path) -> Path | None:
    """The nearest ``.dflint.toml`` or ``pyproject.toml`` with ``[tool.dflint]``."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory.resolve(), *directory.resolve().parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml":
                table, _ = _table(candidate, _read_toml(candidate))
                if table is None:
                    continue
            return candidate
    return None


class ConfigCache:
    """Discovers and caches configuration per folder."""

    def __init__(self, explicit: Path | None = None, isolated: bool = False) -> None:
        self._explicit = load_file(explicit) if explicit is not None else None
        self._isolated = isolated
        self._by_file: dict[Path, LoadedConfig] = {}
        self._by_dir: dict[Path, LoadedConfig] = {}

    def for_path(self, path: Path) -> LoadedConfig:
        if self._explicit is not None:
            return self._explicit
        if self._isolated:
            return LoadedConfig(DEFAULT_SETTINGS, None)
        directory = path.parent if not path.is_dir() else path
        cached = self._by_dir.get(directory)
        if cached is not None:
            return cached
        found = find_config_file(directory)
        if found is None:
            # No dflint configuration: a hadolint user's settings carry over.
            from dflint.hadolint_config import find_hadolint_config

            found = find_hadolint_config(directory, Path.cwd())
        if found is None:
            loaded = LoadedConfig(DEFAULT_SETTINGS, None)
        else:
            loaded = self._by_file.get(found) or load_file(found)
            self._by_file[found] = loaded
        self._by_dir[directory] = loaded
        return loaded
