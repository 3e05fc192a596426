"""Compose files: each service's ``build`` (context, dockerfile, additional contexts,
image) and ``env_file``."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from dflint.model.declarations._common import (
    Declaration,
    Unknowable,
    dockerfile_path,
    image_names,
    is_remote,
    load_yaml,
    named_contexts_of,
)
from dflint.model.declarations.values import compose_value, read_dotenv

COMPOSE_FILES = (
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
)
COMPOSE_OVERRIDES = tuple(
    name.replace(".y", ".override.y", 1) for name in COMPOSE_FILES
)  # compose.override.yaml, ...


def _build_of(service: Any) -> Any:
    return service.get("build") if isinstance(service, dict) else None


def _merged_services(documents: list[Any]) -> dict[str, Any]:
    """The services' ``build`` of a compose file and its override, later files winning
    key by key (as ``docker compose`` merges a mapping)."""
    builds: dict[str, Any] = {}
    for document in documents:
        services = document.get("services") if isinstance(document, dict) else None
        if not isinstance(services, dict):
            continue
        for name, service in services.items():
            build = _build_of(service)
            if build is None:
                continue
            if isinstance(build, str):
                build = {"context": build}
            if not isinstance(build, dict):
                continue
            previous = builds.get(str(name))
            builds[str(name)] = {**previous, **build} if isinstance(previous, dict) else build
    return builds


def _service_images(documents: list[Any]) -> dict[str, Any]:
    """Each service's ``image`` (later files winning)."""
    images: dict[str, Any] = {}
    for document in documents:
        services = document.get("services") if isinstance(document, dict) else None
        for name, service in services.items() if isinstance(services, dict) else ():
            if isinstance(service, dict) and "image" in service:
                images[str(name)] = service["image"]
    return images


def _service_env_files(documents: list[Any]) -> dict[str, list[str]]:
    """Each service's ``env_file`` paths as written (a string, a list of strings, or a
    list of ``{path: ...}`` mappings; later files winning)."""
    found: dict[str, list[str]] = {}
    for document in documents:
        services = document.get("services") if isinstance(document, dict) else None
        for name, service in services.items() if isinstance(services, dict) else ():
            value = service.get("env_file") if isinstance(service, dict) else None
            if value is None:
                continue
            items = value if isinstance(value, list) else [value]
            found[str(name)] = [
                str(item.get("path")) if isinstance(item, dict) else str(item)
                for item in items
                if isinstance(item, str) or (isinstance(item, dict) and item.get("path"))
            ]
    return found


def _env_paths(folder: Path, written: list[str], resolve: Callable[[str], str]) -> tuple[Path, ...]:
    out: list[Path] = []
    for text in written:
        try:
            path = Path(os.path.normpath(folder / resolve(text)))
        except Unknowable:
            continue
        if path not in out:
            out.append(path)
    return tuple(out)


_OTHER_COMPOSE = re.compile(r"^(?:docker-)?compose[.-][^/]+\.ya?ml$")


def other_compose_files(names: list[str]) -> list[str]:
    """The folder's compose files for other setups (``docker-compose.prod.yml``,
    ``compose.full.yaml``, ``docker-compose-e2e.yaml``), used with ``-f``: sorted."""
    standard = {*COMPOSE_FILES, *COMPOSE_OVERRIDES}
    return sorted(n for n in names if n not in standard and _OTHER_COMPOSE.match(n))


def compose_declarations(folder: Path, names: list[str]) -> Iterator[Declaration]:
    """The builds of the compose files ``names`` in ``folder``: each default file with
    its override, then each other compose file alone. Raises ``OSError`` or a parse
    error for a file that cannot be used."""
    resolve = partial(compose_value, variables=read_dotenv(folder / ".env"))
    groups: list[list[Path]] = []
    for base in COMPOSE_FILES:
        if base in names:
            override = base.replace(".y", ".override.y", 1)
            groups.append([folder / base, *([folder / override] if override in names else [])])
    groups.extend([folder / name] for name in other_compose_files(names))
    for files in groups:
        documents = [load_yaml(path) for path in files]
        images = _service_images(documents)
        env_files = _service_env_files(documents)
        for service, build in sorted(_merged_services(documents).items()):
            if "dockerfile_inline" in build and "dockerfile" not in build:
                continue
            try:
                context_text = resolve(str(build.get("context", ".")))
                dockerfile = resolve(str(build.get("dockerfile", "Dockerfile")))
            except Unknowable:
                continue
            if is_remote(context_text):
                continue
            context = Path(os.path.normpath(folder / context_text))
            yield Declaration(
                dockerfile_path(context, dockerfile),
                context,
                files[0],
                f"service {service}",
                named_contexts_of(build.get("additional_contexts"), resolve),
                image_names([images.get(service)], resolve),
                env_files=_env_paths(folder, env_files.get(service, []), resolve),
            )
