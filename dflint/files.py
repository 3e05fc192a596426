"""Finding Dockerfiles on disk and reading them as text."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

from dflint.records import record

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".jj",
        "node_modules",
        "vendor",  # vendored dependencies (Go modules, Composer, Bundler): others' code
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".idea",
        ".vscode",
    }
)
# `Dockerfile.*` names that are not Dockerfiles.
# Last suffixes that mark another kind of file named after a Dockerfile: documentation,
# data, templates, editor and patch leftovers, and source code (`dockerfile.go` is a Go
# parser's source, not a Dockerfile). The pre-commit hook's `exclude` lists the same
# (tests/test_precommit.py checks).
NOT_DOCKERFILE_SUFFIXES = frozenset(
    {"dockerignore", "md", "rst", "txt", "adoc", "html", "json", "yml", "yaml", "toml", "xml"}
    | {"ini", "cfg", "csv", "sh", "bash", "ps1", "bat", "cmd", "py", "pyc", "go", "rs", "js"}
    | {"mjs", "cjs", "ts", "tsx", "jsx", "java", "kt", "kts", "scala", "groovy", "gradle"}
    | {"c", "h", "cc", "cpp", "hpp", "cs", "fs", "vb", "rb", "php", "pl", "pm", "lua", "swift"}
    | {"ex", "exs", "erl", "hs", "ml", "r", "jl", "dart", "zig", "nim", "vim", "el", "lisp"}
    | {"swp", "bak", "orig", "rej", "lock", "j2", "jinja", "jinja2", "tmpl", "tpl", "template"}
    | {"erb", "mustache", "hbs", "snap", "golden", "patch", "diff", "png", "svg"}
)
MAX_FILE_BYTES = 16 * 1024 * 1024


def is_dockerfile_name(name: str) -> bool:
    """Dockerfile, Dockerfile.*, Dockerfile-*, *.Dockerfile, *.dockerfile, and the same
    with Containerfile; never with a suffix of :data:`NOT_DOCKERFILE_SUFFIXES`."""
    lower = name.lower()
    for base in ("dockerfile", "containerfile"):
        if lower == base:
            return True
        if lower.startswith((base + ".", base + "-")):
            return "." not in lower or lower.rsplit(".", 1)[-1] not in NOT_DOCKERFILE_SUFFIXES
    return lower.endswith((".dockerfile", ".containerfile")) and lower not in (
        ".dockerfile",
        ".containerfile",
    )


@record
class PathError:
    path: str
    message: str


def discover(paths: list[str]) -> Iterator[Path | PathError]:
    """Files to lint, in a deterministic order; problems as :class:`PathError`."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            yield path
        elif path.exists():
            yield PathError(raw, "not a regular file")
        elif path.is_symlink():
            yield PathError(raw, "broken symbolic link")
        else:
            yield PathError(raw, "no such file or directory")


def _walk(root: Path) -> Iterator[Path | PathError]:
    errors: list[OSError] = []
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in files:
            if is_dockerfile_name(name):
                candidate = Path(folder, name)
                if candidate.is_file():
                    found.append(candidate)
    yield from sorted(found)
    for err in errors:
        yield PathError(str(err.filename or root), err.strerror or str(err))


@record
class Decoded:
    text: str
    problem: str | None = None  # an encoding problem to report
    problem_offset: int = 0  # where, as a str index into ``text``
    binary: bool = False


def decode(data: bytes) -> Decoded:
    """Dockerfiles are UTF-8 (a BOM is allowed and kept in the text)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        return Decoded(text, "file is UTF-16 encoded; BuildKit reads Dockerfiles as UTF-8")
    nul = data.find(b"\x00", 0, 8192)
    if nul != -1:
        offset = len(data[:nul].decode("utf-8", errors="replace"))
        return Decoded("", f"binary file (NUL byte at offset {nul}); not linted", offset, True)
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        offset = len(data[: exc.start].decode("utf-8", errors="replace"))
        return Decoded(text, f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", offset)


def read(path: str | os.PathLike[str]) -> bytes:
    """Read a file, refusing absurd sizes (raises OSError with a clear message).

    One open and one ``fstat`` (a ``Path``'s ``stat`` then ``read_bytes`` made two of
    each, and the ``Path``): reading is done for every file of a run. At most one byte
    more than the limit is ever read, whatever the file claims its size is."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise OSError(f"file too large ({size} bytes; the limit is {MAX_FILE_BYTES})")
        return _bounded(f.read(MAX_FILE_BYTES + 1), "file")


def _bounded(data: bytes, what: str) -> bytes:
    if len(data) > MAX_FILE_BYTES:
        raise OSError(f"{what} too large (more than {MAX_FILE_BYTES} bytes, the limit)")
    return data


def read_input(path: str) -> Decoded:
    """The text of a file, or of stdin for '-' (raises OSError as :func:`read` does:
    standard input is held to the same limit, so that an endless one cannot fill the
    memory)."""
    if path == "-":
        if sys.stdin is None:  # started with standard input closed (`<&-`)
            raise OSError("standard input is closed")
        return decode(_bounded(sys.stdin.buffer.read(MAX_FILE_BYTES + 1), "input"))
    return decode(read(path))
