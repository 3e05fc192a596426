"""Writing fixed files without ever leaving a half-written or wrongly-owned file.

The new content goes to a temporary file in the target's own directory (same file
system, so the rename is atomic), is flushed to disk, gets the original's permission
bits (and owner, where allowed), then replaces the original with ``os.replace``. A
reader sees the old file or the new one, never a mix; a crash leaves at most a stray
``.<name>.*.dflint-tmp`` file beside it.

A symbolic link is written through to its target (the link stays a link) only when the
target lies inside the project root; a link out of the project is refused, so a fix
never edits a file the user did not ask about (``/etc/...`` behind a link in a repo).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class WriteRefused(OSError):
    """The file was not written; the message says why (shown to the user as is)."""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def target(path: Path, root: Path) -> Path:
    """The real file to write for ``path``: itself, or what its symbolic links lead to.

    Raises :class:`WriteRefused` when a link leads outside ``root`` (the project).
    """
    absolute = Path(os.path.abspath(path))
    real = Path(os.path.realpath(absolute))
    if real != absolute:
        project = Path(os.path.realpath(root))
        if not _inside(real, project):
            raise WriteRefused(
                f"{path}: not written: it is a symbolic link to {real}, outside the project"
                f" ({project}); fix the target there or copy it into the project"
            )
    return real


def write(
    path: Path, data: bytes, *, expected: bytes | None = None, root: Path | None = None
) -> bool:
    """Atomically replace the content of ``path`` with ``data``.

    Returns False (and writes nothing) when ``data`` equals the current content. With
    ``expected``, refuses (:class:`WriteRefused`) if the file no longer holds those bytes
    (changed by someone else since it was read). ``root`` is the project for the
    symbolic-link check (default: the working directory).
    """
    real = target(path, root if root is not None else Path.cwd())
    current = real.read_bytes()
    if expected is not None and current != expected:
        raise WriteRefused(f"{path}: not written: the file changed while it was being fixed")
    if current == data:
        return False
    info = real.stat()
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".dflint-tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != _owner(tmp):
            # Only root (or the owner, for the group) may do this; otherwise the new
            # file keeps the writer's ownership, as any editor's save would.
            with contextlib.suppress(OSError):
                os.chown(tmp, info.st_uid, info.st_gid)
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_directory(real.parent)
    return True


def _owner(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_uid, info.st_gid


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX); not possible, nor needed, everywhere."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
