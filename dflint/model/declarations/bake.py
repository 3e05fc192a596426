"""Docker Bake files (HCL through python-hcl2, JSON): each target's context,
dockerfile, contexts, tags and outputs, ``inherits`` followed."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dflint.model.declarations._common import (
    Declaration,
    Unknowable,
    dockerfile_path,
    image_names,
    is_remote,
    named_contexts_of,
)
from dflint.model.declarations.values import bake_value, unquote

BAKE_FILES = ("docker-bake.json", "docker-bake.hcl")
BAKE_OVERRIDES = ("docker-bake.override.json", "docker-bake.override.hcl")


def _bake_document(path: Path) -> Any:
    if path.suffix == ".json":
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    import hcl2  # only when a bake file exists

    with path.open(encoding="utf-8") as fh:
        return hcl2.load(fh)


def _blocks(document: Any, kind: str) -> dict[str, dict[str, Any]]:
    """``{label: body}`` of the blocks of ``kind``, from HCL (a list of one-key dicts)
    or JSON (a dict)."""
    raw = document.get(kind) if isinstance(document, dict) else None
    items: list[tuple[Any, Any]] = []
    if isinstance(raw, dict):
        items = list(raw.items())
    elif isinstance(raw, list):
        items = [pair for block in raw if isinstance(block, dict) for pair in block.items()]
    return {str(unquote(label)): body for label, body in items if isinstance(body, dict)}


def bake_declarations(
    folder: Path, names: list[str], root: Path | None = None
) -> Iterator[Declaration]:
    """The targets of the bake files ``names`` in ``folder`` (overrides last).

    Bake resolves a target's paths against the folder it runs in, not the bake file's:
    a file in ``folder`` runs there (``docker buildx bake`` finds it there), or from the
    repository ``root`` with ``-f`` (``dockerfile = "ci/image/Dockerfile"`` in
    ``ci/image/docker-bake.hcl``). The first reading whose Dockerfile exists is taken;
    with neither, the folder's."""
    files = [folder / n for n in (*BAKE_FILES, *BAKE_OVERRIDES) if n in names]
    if not files:
        return
    targets: dict[str, dict[str, Any]] = {}
    variables: dict[str, str] = {}
    for path in files:
        document = _bake_document(path)
        for name, body in _blocks(document, "variable").items():
            default = unquote(body.get("default"))
            if isinstance(default, (str, int, float)) and not isinstance(default, bool):
                variables[name] = str(default)
        for name, body in _blocks(document, "target").items():
            targets[name] = {**targets.get(name, {}), **body}

    def attribute(name: str, key: str, seen: frozenset[str] = frozenset()) -> Any:
        body = targets.get(name, {})
        if key in body:
            return body[key]
        parents = body.get("inherits", [])
        for parent in reversed(parents if isinstance(parents, list) else []):
            parent_name = str(unquote(parent))
            if parent_name in seen or parent_name not in targets:
                continue
            found = attribute(parent_name, key, seen | {name})
            if found is not None:
                return found
        return None

    for name in sorted(targets):
        try:
            context_text = bake_value(attribute(name, "context") or '"."', variables)
            dockerfile = bake_value(attribute(name, "dockerfile") or '"Dockerfile"', variables)
        except Unknowable:
            continue
        if is_remote(context_text) or dockerfile.startswith("cwd://"):
            continue
        context_text = context_text.removeprefix("cwd://")
        label = f"target {name}"
        context = Path(os.path.normpath(folder / context_text))
        if (
            root is not None
            and root != folder
            and not dockerfile_path(context, dockerfile).exists()
        ):
            from_root = Path(os.path.normpath(root / context_text))
            if dockerfile_path(from_root, dockerfile).exists():
                context = from_root
                label = f"target {name}, run from the repository root"
        named = attribute(name, "contexts")
        tags = attribute(name, "tags")
        yield Declaration(
            dockerfile_path(context, dockerfile),
            context,
            files[0],
            label,
            named_contexts_of(named, lambda value: bake_value(value, variables)),
            image_names(tags if isinstance(tags, list) else [], lambda v: bake_value(v, variables)),
            not _cache_only(attribute(name, "output"), variables),
        )


def _cache_only(outputs: Any, variables: Mapping[str, str]) -> bool:
    """Whether a bake target's ``output`` list keeps only the build cache."""
    if not isinstance(outputs, list) or not outputs:
        return False
    for output in outputs:
        try:
            text = bake_value(output, variables)
        except Unknowable:
            return False
        if "type=cacheonly" not in text.replace(" ", ""):
            return False
    return True
