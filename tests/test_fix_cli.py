"""``dflint check --fix/--unsafe-fixes/--diff/--show-fixes`` on real files and stdin:
bytes outside the edits, BOM, CRLF, missing final newline, permissions, symbolic
links, atomic writes, exit codes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dflint import atomic
from dflint.cli import main

# Two safe fixes (a lower-case instruction among upper-case ones, DF132; an unused
# suppression, DF002) amid bytes that must survive: a BOM, CRLF, tabs, a vertical tab,
# a no-break space, non-ASCII text, a lone CR inside a comment, no final newline.
SELECT = ["--isolated", "--select", "DF002,DF132", "--no-color"]
BEFORE = (
    "\ufeffFROM alpine:3.22\r\n"
    "# dflint: ignore=DF201\r\n"
    "# caf\u00e9 \t\x0b\u00a0 \u2028 odd\rbytes\r\n"
    "run\techo 'h\u00e9'\r\n"
    "RUN true"
).encode()
AFTER = (
    "\ufeffFROM alpine:3.22\r\n"
    "# caf\u00e9 \t\x0b\u00a0 \u2028 odd\rbytes\r\n"
    "RUN\techo 'h\u00e9'\r\n"
    "RUN true"
).encode()


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", *SELECT, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    (root / "Dockerfile").write_bytes(BEFORE)
    return root


def test_fix_changes_only_the_edited_bytes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["--fix", "Dockerfile"], capsys)
    assert (project / "Dockerfile").read_bytes() == AFTER
    assert code == 0  # nothing remains
    assert "Fixed 2 problems (0 remaining)." in out
    # A second --fix changes nothing and does not even rewrite the file.
    inode = (project / "Dockerfile").stat().st_ino
    code, out, _ = run(["--fix", "Dockerfile"], capsys)
    assert code == 0
    assert "Fixed 0 problems (0 remaining)." in out
    assert (project / "Dockerfile").stat().st_ino == inode
    assert (project / "Dockerfile").read_bytes() == AFTER


def test_nothing_to_fix_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "Dockerfile").write_bytes(AFTER)
    before = (project / "Dockerfile").stat()
    assert run(["--fix", "."], capsys)[0] == 0
    after = (project / "Dockerfile").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert sorted(os.listdir(project)) == ["Dockerfile"]  # no temporary file left


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_permissions_are_kept(project: Path, capsys: pytest.CaptureFixture[str], mode: int) -> None:
    path = project / "Dockerfile"
    path.chmod(mode)
    run(["--fix", "Dockerfile"], capsys)
    assert path.read_bytes() == AFTER
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert sorted(os.listdir(project)) == ["Dockerfile"]


def test_exit_code_follows_what_remains(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # DF002 for an unknown rule has no fix: it remains, a warning, so exit 1.
    (project / "Dockerfile").write_bytes(
        b"FROM alpine:3.22\nrun true\n# dflint: ignore=NOPE\nRUN x\n"
    )
    code, out, _ = run(["--fix", "."], capsys)
    assert code == 1
    assert "Fixed 1 problem (1 remaining)." in out
    assert (project / "Dockerfile").read_bytes() == (
        b"FROM alpine:3.22\nRUN true\n# dflint: ignore=NOPE\nRUN x\n"
    )
    assert run(["--fix", ".", "--fail-level", "error"], capsys)[0] == 0


def test_diff_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["--diff", "Dockerfile"], capsys)
    assert code == 1  # there would be changes
    assert (project / "Dockerfile").read_bytes() == BEFORE
    assert out.startswith("--- a/Dockerfile\n+++ b/Dockerfile\n")
    assert "-# dflint: ignore=DF201\r\n" in out
    assert "-run\techo" in out
    assert "+RUN\techo" in out
    assert "Would fix 2 problems (0 remaining)." in err
    (project / "Dockerfile").write_bytes(AFTER)
    code, out, err = run(["--diff", "Dockerfile"], capsys)
    assert (code, out) == (0, "")
    assert "No fixes available" in err


def test_diff_marks_a_missing_final_newline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "Dockerfile").write_bytes(b"FROM alpine:3.22\nrun true")
    _, out, _ = run(["--diff", "Dockerfile"], capsys)
    assert out.endswith(
        "-run true\n\\ No newline at end of file\n+RUN true\n\\ No newline at end of file\n"
    )


def test_report_says_how_to_fix(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["Dockerfile"], capsys)
    assert code == 1
    assert "= fix: Remove the suppression comment" in out
    assert "[*] 2 fixable with `--fix`." in out
    assert (project / "Dockerfile").read_bytes() == BEFORE


UNSAFE = b"FROM alpine:3.22\nWORKDIR app\n"  # relative-workdir (DF501): an unsafe fix


def test_unsafe_fixes_only_when_asked(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "Dockerfile").write_bytes(UNSAFE)
    args = ["--select", "DF501", "Dockerfile"]
    code, out, _ = run(args, capsys)
    assert "1 unsafe fix is available with `--fix --unsafe-fixes`" in out
    code, out, _ = run(["--unsafe-fixes", *args], capsys)
    assert "[*] 1 fixable with `--fix --unsafe-fixes`." in out
    code, out, _ = run(["--fix", *args], capsys)
    assert code == 1
    assert (project / "Dockerfile").read_bytes() == UNSAFE
    assert "Fixed 0 problems (1 remaining)." in out
    code, out, _ = run(["--fix", "--unsafe-fixes", "--show-fixes", *args], capsys)
    assert code == 0
    assert (project / "Dockerfile").read_bytes() != UNSAFE
    assert "- Dockerfile:\n     1  DF501 (relative-workdir)\n" in out


def test_usage_errors(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--diff", "--show-fixes", "."], capsys)
    assert code == 2
    assert "--diff and --show-fixes" in err
    assert run(["--show-fixes", "."], capsys)[0] == 2


def test_symlink_out_of_the_project_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere.Dockerfile"
    outside.write_bytes(BEFORE)
    (project / "Dockerfile").unlink()
    (project / "Dockerfile").symlink_to(outside)
    code, _, err = run(["--fix", "Dockerfile"], capsys)
    assert code == 2
    assert "symbolic link to" in err
    assert "outside the project" in err
    assert outside.read_bytes() == BEFORE


def test_symlink_inside_the_project_is_written_through(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "docker").mkdir()
    real = project / "docker" / "real.Dockerfile"
    (project / "Dockerfile").rename(real)
    (project / "Dockerfile").symlink_to(Path("docker") / "real.Dockerfile")
    code, _, _ = run(["--fix", "Dockerfile"], capsys)
    assert code == 0
    assert (project / "Dockerfile").is_symlink()
    assert real.read_bytes() == AFTER


def test_invalid_utf8_is_not_fixed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = b"FROM alpine:3.22\n# \xff\nrun true\n"
    (project / "Dockerfile").write_bytes(data)
    code, _, _ = run(["--fix", "Dockerfile"], capsys)
    assert code == 1
    assert (project / "Dockerfile").read_bytes() == data


def _stdin(args: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "dflint", "check", *SELECT, *args],
        input=data,
        capture_output=True,
        check=False,
    )


def test_fix_on_stdin_writes_the_fixed_text_to_stdout() -> None:
    proc = _stdin(["--fix", "-"], BEFORE)
    assert proc.stdout == AFTER
    assert b"Fixed 2 problems (0 remaining)." in proc.stderr
    assert proc.returncode == 0
    # Nothing to fix: the input comes back unchanged.
    proc = _stdin(["--fix", "--stdin-filename", "Dockerfile", "-"], AFTER)
    assert proc.stdout == AFTER
    assert proc.returncode == 0
    # The report of what remains goes to stderr, never into the fixed text.
    proc = _stdin(["--fix", "-"], b"FROM alpine:3.22\n# dflint: ignore=NOPE\nRUN x\n")
    assert proc.stdout == b"FROM alpine:3.22\n# dflint: ignore=NOPE\nRUN x\n"
    assert b"DF002" in proc.stderr
    assert proc.returncode == 1


def test_diff_on_stdin() -> None:
    proc = _stdin(["--diff", "-"], BEFORE)
    assert proc.returncode == 1
    assert proc.stdout.startswith(b"--- a/<stdin>\n+++ b/<stdin>\n")


def test_stdin_that_is_not_utf8_is_not_echoed() -> None:
    proc = _stdin(["--fix", "-"], b"FROM a\n# \xff\n")
    assert proc.stdout == b""
    assert proc.returncode == 2
    assert b"not fixed" in proc.stderr


# --------------------------------------------------------------------------- atomic.write
def test_atomic_write_refuses_a_file_changed_since_read(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"new content")
    with pytest.raises(atomic.WriteRefused, match="changed"):
        atomic.write(path, b"fixed", expected=b"old content", root=tmp_path)
    assert path.read_bytes() == b"new content"


def test_atomic_write_leaves_no_temporary_file_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"old")

    def fail(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space"):
        atomic.write(path, b"new", root=tmp_path)
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["Dockerfile"]


def test_atomic_write_unchanged_content_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"same")
    inode = path.stat().st_ino
    assert atomic.write(path, b"same", root=tmp_path) is False
    assert path.stat().st_ino == inode
    assert atomic.write(path, b"other", root=tmp_path) is True
    assert path.read_bytes() == b"other"


# --------------------------------------------------------------------------- atomic.create
def test_atomic_create_makes_a_new_file_with_default_permissions(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic.create(tmp_path / ".dockerignore", b".git\n", root=tmp_path)
    finally:
        os.umask(old)
    assert (tmp_path / ".dockerignore").read_bytes() == b".git\n"
    assert stat.S_IMODE((tmp_path / ".dockerignore").stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == [".dockerignore"]  # no temporary file left


@pytest.mark.parametrize("kind", ["file", "directory", "dangling link"])
def test_atomic_create_never_replaces_anything(tmp_path: Path, kind: str) -> None:
    path = tmp_path / ".dockerignore"
    if kind == "file":
        path.write_bytes(b"mine\n")
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to(tmp_path / "nowhere")
    with pytest.raises(atomic.AlreadyExists, match="already exists"):
        atomic.create(path, b"new\n", root=tmp_path)
    assert sorted(os.listdir(tmp_path)) == [".dockerignore"]
    if kind == "file":
        assert path.read_bytes() == b"mine\n"
    assert not (tmp_path / "nowhere").exists()


def test_atomic_create_loses_a_race_without_harm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / ".dockerignore"
    real_link = os.link

    def someone_else_first(src: str, dst: str) -> None:
        path.write_bytes(b"theirs\n")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", someone_else_first)
    with pytest.raises(atomic.AlreadyExists, match="appeared meanwhile"):
        atomic.create(path, b"ours\n", root=tmp_path)
    assert path.read_bytes() == b"theirs\n"
    assert os.listdir(tmp_path) == [".dockerignore"]


def test_atomic_create_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unsupported(src: str, dst: object) -> None:
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(os, "link", unsupported)
    atomic.create(tmp_path / ".dockerignore", b".git\n", root=tmp_path)
    assert (tmp_path / ".dockerignore").read_bytes() == b".git\n"
    assert os.listdir(tmp_path) == [".dockerignore"]


def test_atomic_create_stays_in_the_context(tmp_path: Path) -> None:
    context = tmp_path / "context"
    outside = tmp_path / "outside"
    context.mkdir()
    outside.mkdir()
    (context / "out").symlink_to(outside)
    for path in (context / "out" / ".dockerignore", tmp_path / ".dockerignore"):
        with pytest.raises(atomic.WriteRefused, match="outside the build context"):
            atomic.create(path, b"x\n", root=context)
    assert os.listdir(outside) == []
    assert not (tmp_path / ".dockerignore").exists()
    with pytest.raises(atomic.WriteRefused, match="its folder does not exist"):
        atomic.creatable(context / "gone" / ".dockerignore", context)
    assert (
        atomic.creatable(context / ".dockerignore", context) == context.resolve() / ".dockerignore"
    )


# --------------------------------------------------------------------------- created files
# A lower-case keyword (DF132, safe) and a copy of the whole context without an ignore
# file (DF403: its unsafe fix creates a starter .dockerignore); the `.env` beside it is a
# secret in the context (DF601) until the ignore file leaves it out.
CONTEXT_COPY = b"FROM alpine:3.22\nrun true\nCOPY . /app/\n"
IGNORE_FILE_RULES = ["--select", "DF403,DF601"]


@pytest.fixture
def context_project(project: Path) -> Path:
    (project / "Dockerfile").write_bytes(CONTEXT_COPY)
    (project / "node_modules" / "left-pad").mkdir(parents=True)
    (project / "node_modules" / "left-pad" / "index.js").write_text("")
    (project / ".env").write_text("TOKEN=fake\n")
    return project


def starter(project: Path) -> str:
    """The content DF403's fix proposes for ``project`` (as the rule computes it)."""
    from dflint.engine import lint_text, load_context

    context = load_context(project, project / "Dockerfile")
    text = (project / "Dockerfile").read_text()
    [finding] = [
        f
        for f in lint_text(text, "Dockerfile", context=context).findings
        if f.fix and f.fix.creates
    ]
    assert finding.fix is not None
    [new] = finding.fix.creates
    assert new.path == ".dockerignore"
    return new.content


def test_fix_creates_the_starter_ignore_file(
    context_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = starter(context_project)
    args = ["--fix", "--unsafe-fixes", "--show-fixes", *IGNORE_FILE_RULES, "Dockerfile"]
    code, out, err = run(args, capsys)
    assert (context_project / ".dockerignore").read_text() == expected
    # The Dockerfile's own fixes are applied; this fix leaves it alone.
    assert (context_project / "Dockerfile").read_bytes() == CONTEXT_COPY.replace(b"run", b"RUN")
    assert "- Dockerfile:\n     1  DF132 (inconsistent-instruction-casing)\n" in out
    assert "     1  DF403 (missing-dockerignore)\n" in out
    assert "Created .dockerignore.\n" in out
    # The context is read again: the secret is no longer sent, nothing remains.
    assert "Fixed 2 problems (0 remaining)." in out
    assert (code, err) == (0, "")
    assert sorted(os.listdir(context_project)) == [
        ".dockerignore", ".env", "Dockerfile", "node_modules"
    ]  # fmt: skip
    # Idempotent: with the file in place, DF403 no longer fires and nothing is written.
    before = (context_project / ".dockerignore").stat()
    code, out, _ = run(args, capsys)
    assert (code, "Created" in out) == (0, False)
    assert "Fixed 0 problems (0 remaining)." in out
    after = (context_project / ".dockerignore").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_the_ignore_file_is_an_unsafe_fix(
    context_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["--fix", *IGNORE_FILE_RULES, "Dockerfile"], capsys)
    assert code == 1
    assert not (context_project / ".dockerignore").exists()
    assert "= unsafe fix: Create a starter `.dockerignore`" in out
    assert "Fixed 1 problem (2 remaining)." in out


def test_diff_shows_the_new_file(context_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = starter(context_project)
    code, out, err = run(["--diff", "--unsafe-fixes", *IGNORE_FILE_RULES, "."], capsys)
    assert code == 1
    assert not (context_project / ".dockerignore").exists()
    text_diff, new_file = out.split("--- /dev/null\n")
    assert text_diff.startswith("--- a/Dockerfile\n+++ b/Dockerfile\n")
    lines = expected.splitlines()
    assert new_file == f"+++ b/.dockerignore\n@@ -0,0 +1,{len(lines)} @@\n" + "".join(
        f"+{line}\n" for line in lines
    )
    # What would remain is counted with the new file in place: the secret it leaves out
    # is no longer sent (as after `--fix`, see test_fix_creates_the_starter_ignore_file).
    assert "Would fix 2 problems (0 remaining)." in err
    # Nothing but the new file: still a diff, still exit 1.
    (context_project / "Dockerfile").write_bytes(CONTEXT_COPY.replace(b"run", b"RUN"))
    code, out, _ = run(["--diff", "--unsafe-fixes", *IGNORE_FILE_RULES, "."], capsys)
    assert code == 1
    assert out.startswith("--- /dev/null\n+++ b/.dockerignore\n")


def test_a_file_that_appears_meanwhile_is_never_overwritten(
    context_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write = atomic.write

    def someone_else_too(
        path: Path, data: bytes, *, expected: bytes | None = None, root: Path | None = None
    ) -> bool:
        (context_project / ".dockerignore").write_text("mine\n")
        return write(path, data, expected=expected, root=root)

    monkeypatch.setattr(atomic, "write", someone_else_too)
    code, out, err = run(["--fix", "--unsafe-fixes", *IGNORE_FILE_RULES, "Dockerfile"], capsys)
    assert (context_project / ".dockerignore").read_text() == "mine\n"
    assert err == (
        "dflint: .dockerignore: not created: it already exists"
        " (the DF403 fix of Dockerfile was skipped)\n"
    )
    # The Dockerfile's own fix is kept, and the skipped one is not counted.
    assert (context_project / "Dockerfile").read_bytes() == CONTEXT_COPY.replace(b"run", b"RUN")
    assert "Fixed 1 problem (" in out
    assert code == 1  # a skipped fix is not an I/O error; what remains decides


def test_the_file_goes_to_the_build_context(
    context_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (context_project / "docker").mkdir()
    (context_project / "Dockerfile").unlink()
    (context_project / "docker" / "api.Dockerfile").write_bytes(b"FROM alpine:3.22\nCOPY . /\n")
    args = ["--diff", "--unsafe-fixes", "--select", "DF403", "--context", "."]
    code, out, _ = run([*args, "docker/api.Dockerfile"], capsys)
    assert code == 1
    assert out.startswith("--- /dev/null\n+++ b/.dockerignore\n")
    (context_project / "sub" / "node_modules").mkdir(parents=True)  # for the file to list
    code, out, _ = run([*args[:-2], "--context", "sub", "docker/api.Dockerfile"], capsys)
    assert code == 1
    assert out.startswith("--- /dev/null\n+++ b/sub/.dockerignore\n")
    assert not (context_project / "sub" / ".dockerignore").exists()


def test_two_dockerfiles_one_context(
    context_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (context_project / "dev.Dockerfile").write_bytes(b"FROM alpine:3.22\nCOPY . /src/\n")
    args = ["--unsafe-fixes", "--select", "DF403,DF404", "Dockerfile", "dev.Dockerfile"]
    code, out, err = run(["--diff", *args], capsys)
    assert out.count("+++ b/.dockerignore") == 1  # one new file, never two versions
    assert "the fix of Dockerfile creates it (the DF403 fix of dev.Dockerfile was skipped)" in err
    # --fix: the second Dockerfile sees the file the first one's fix created.
    code, out, err = run(["--fix", *args], capsys)
    assert (code, err) == (0, "")
    assert "Fixed 2 problems (0 remaining)." in out  # DF132 and DF403, in Dockerfile
    assert "Created .dockerignore." in out


def test_stdin_creates_no_file(context_project: Path) -> None:
    name = str(context_project / "Dockerfile")
    args = ["--fix", "--unsafe-fixes", *IGNORE_FILE_RULES, "--stdin-filename", name, "-"]
    proc = _stdin(args, CONTEXT_COPY)
    assert proc.stdout == CONTEXT_COPY.replace(b"run", b"RUN")
    assert not (context_project / ".dockerignore").exists()
    assert (
        b"`.dockerignore` not created (DF403): fixes of stdin write nothing but the fixed text"
        in proc.stderr
    )
    assert b"DF403 [warning]" in proc.stderr  # reported as remaining
    assert proc.returncode == 1
    proc = _stdin(["--diff", *args[1:]], CONTEXT_COPY)
    assert b"/dev/null" not in proc.stdout
    assert not (context_project / ".dockerignore").exists()
    # Bare stdin has no build context: nothing to say about it.
    proc = _stdin(
        ["--diff", "--unsafe-fixes", *IGNORE_FILE_RULES, "-"], b"FROM alpine:3.22\nCOPY . /app/\n"
    )
    assert (proc.returncode, proc.stdout) == (0, b"")
