"""ShellCheck on RUN (DF360): positions, dialects, declared names, batching, failures,
and SC codes through selection, severity, suppression and per-file-ignores."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from dflint import cli, engine
from dflint.registry import ExternalFilter, PluginError, Registry, default_registry
from dflint.rule import NoOptions, Rule, Severity
from dflint.settings import Settings
from dflint_rules.packages import _shellcheck
from dflint_rules.packages import shellcheck as rule_module

needs_shellcheck = pytest.mark.skipif(
    _shellcheck.find_shellcheck() is None, reason="shellcheck is not installed"
)


# Every level, as hadolint reports: most tests here are about the mechanics, not the level.
ALL_LEVELS = {"rules": {"shellcheck": {"min-level": "style"}}}


def lint(
    text: str,
    settings: Settings | None = None,
    *,
    select: Sequence[str] | None = ("DF360",),
    ignore: Sequence[str] = (),
) -> engine.LintResult:
    settings = settings or Settings.from_table(ALL_LEVELS)
    prepared = engine.prepare(settings, select=select, ignore=ignore)
    return engine.lint_text(text, "Dockerfile", prepared, strict=True)


def found(result: engine.LintResult, with_suppressed: bool = False) -> list[tuple[str, str]]:
    """(external code, text at the span) of each finding."""
    text = result.source.text
    return [
        (f.external_code or f.code, text[f.span.start : f.span.end])
        for f in result.findings
        if with_suppressed or not f.suppressed
    ]


def where(result: engine.LintResult, code: str) -> list[tuple[int, int]]:
    out = []
    for f in result.findings:
        if f.external_code == code:
            pos = result.source.lines.position(f.span.start)
            out.append((pos.line, pos.column))
    return out


# -- positions -------------------------------------------------------------------------
@needs_shellcheck
def test_continuations_and_comment_lines() -> None:
    text = "FROM alpine:3.20\nRUN true && \\\n    # note\n    echo $a_var \\\n  $b_var\n"
    result = lint(text)
    assert where(result, "SC2154") == [(4, 10), (5, 3)]
    assert ("SC2154", "$a_var") in found(result)


@needs_shellcheck
def test_crlf() -> None:
    text = (
        "FROM alpine:3.20\r\nRUN true && \\\r\n    echo $a_var\r\n"
        "RUN <<EOF\r\necho $b_var\r\nEOF\r\n"
    )
    result = lint(text)
    assert where(result, "SC2154") == [(3, 10), (5, 6)]
    assert "SC1017" not in {f.external_code for f in result.findings}  # no literal CRs


@needs_shellcheck
def test_backtick_escape() -> None:
    text = "# escape=`\nFROM alpine:3.20\nRUN echo `\n  # c\n  $a_var\n"
    assert where(lint(text), "SC2154") == [(5, 3)]


@needs_shellcheck
def test_tabs_and_non_ascii_columns() -> None:
    text = 'FROM alpine:3.20\nRUN echo "é\t→" $a_var\n'
    result = lint(text)
    assert ("SC2154", "$a_var") in found(result)
    assert where(result, "SC2154") == [(2, 16)]


@needs_shellcheck
def test_heredoc_bodies() -> None:
    text = (
        "FROM alpine:3.20\n"
        "RUN <<EOF\necho $one\nEOF\n\n"
        "RUN cat <<EOF >/x && bash <<SH\n$two\nEOF\necho $three\nSH\n\n"
        "RUN <<EOF\n#!/bin/bash\n[[ -n $HOME ]] && echo $four\nEOF\n"
    )
    result = lint(text)
    assert where(result, "SC2154") == [(3, 6), (7, 1), (9, 6), (14, 24)]
    assert "SC3010" not in {f.external_code for f in result.findings}  # #!/bin/bash


@needs_shellcheck
def test_flags_and_onbuild() -> None:
    text = (
        "FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache \\\n"
        "    --network=none echo $a_var\n"
        "ONBUILD RUN --mount=type=tmpfs,target=/t echo $b_var\n"
    )
    assert where(lint(text), "SC2154") == [(3, 25), (4, 47)]


@needs_shellcheck
def test_syntax_error_at_the_end_maps_into_the_run() -> None:
    result = lint("FROM alpine:3.20\nRUN for i in 1; do\n")
    spans = [f.span for f in result.findings]
    assert spans
    assert all(s.end <= len(result.source.text) for s in spans)


# -- what is checked ---------------------------------------------------------------------
@needs_shellcheck
@pytest.mark.parametrize(
    ("shell", "fires"),
    [
        (None, True),
        ('["/bin/sh", "-c"]', True),
        ('["dash", "-c"]', True),
        ('["/bin/bash", "-c"]', False),
        ('["/usr/bin/ksh", "-c"]', False),
    ],
)
def test_dialect_follows_shell(shell: str | None, fires: bool) -> None:
    shell_line = f"SHELL {shell}\n" if shell else ""
    result = lint(f"FROM debian:12-slim\n{shell_line}RUN [[ -n $HOME ]]\n")
    assert ("SC3010" in {f.external_code for f in result.findings}) is fires


@needs_shellcheck
@pytest.mark.parametrize(
    ("base", "fires"),
    [
        ("debian:12-slim", True),  # dash
        ("python:3.12-slim", True),  # official images are Debian-based
        ("python:3.12-alpine", False),  # BusyBox ash has [[ ]]
        ("alpine:3.20", False),
        ("registry.access.redhat.com/ubi9/ubi", False),  # /bin/sh is bash
        ("fedora:41", False),
        ("myorg/base:1", False),  # unknown shell: no portability findings
    ],
)
def test_default_shell_is_the_base_images_sh(base: str, fires: bool) -> None:
    result = lint(f"FROM {base}\nRUN [[ -n $HOME ]] && echo $HOME\n")
    codes = {f.external_code for f in result.findings}
    assert ("SC3010" in codes) is fires
    assert "SC2086" in codes  # what is wrong in every shell is still reported


@pytest.mark.parametrize(
    "text",
    [
        'FROM alpine:3.20\nRUN ["sh", "-c", "echo $x_var"]\n',
        'FROM alpine:3.20\nSHELL ["powershell", "-Command"]\nRUN echo $x_var\n',
        'FROM alpine:3.20\nSHELL ["cmd", "/S", "/C"]\nRUN echo $x_var\n',
        'FROM alpine:3.20\nSHELL ["zsh", "-c"]\nRUN echo $x_var\n',
        "FROM alpine:3.20\nRUN <<EOF\n#!/usr/bin/env python3\nprint($x_var)\nEOF\n",
        "FROM alpine:3.20\nRUN python3 <<'EOF'\nprint($x_var)\nEOF\n",
    ],
)
def test_not_shell_scripts(text: str) -> None:
    assert lint(text).findings == ()


@needs_shellcheck
def test_arg_env_and_proxy_names_are_assigned() -> None:
    text = (
        "ARG global_only=1\nFROM alpine:3.20\nARG version\nENV home_dir=/x\n"
        'RUN echo "$version" "$home_dir" "$https_proxy" "$no_proxy" "$global_only"\n'
        'ARG later\nRUN echo "$later"\n'
    )
    result = lint(text)
    assert [c for c, _ in found(result)] == ["SC2154"]
    assert found(result)[0][1] == "$global_only"  # not re-declared in the stage


@needs_shellcheck
def test_severity_and_message() -> None:
    result = lint("FROM alpine:3.20\nRUN echo $a_var\n")
    by_code = {f.external_code: f for f in result.findings}
    assert by_code["SC2154"].severity is Severity.WARNING
    assert by_code["SC2086"].severity is Severity.INFO
    assert by_code["SC2086"].message == (
        "SC2086: Double quote to prevent globbing and word splitting"
    )
    assert by_code["SC2086"].code == "DF360"


# -- batching and failures ---------------------------------------------------------------
@needs_shellcheck
def test_one_process_per_file_and_cache(calls: list[list[str]]) -> None:
    text = "FROM alpine:3.20\nRUN echo $u1\nRUN echo $u2\nRUN <<EOF\necho $u3\nEOF\n"
    text = text.replace("$u", "$cache_test_" + str(id(calls)) + "_")  # fresh scripts
    first = lint(text)
    assert len(calls) == 1
    assert sum(1 for c in calls[0] if c.endswith(".sh")) == 3
    assert lint(text).findings == first.findings
    assert len(calls) == 1  # cached


def _batch_texts(tag: str) -> list[str]:
    """Dockerfiles with scripts no other test checks (so not cached yet)."""
    return (
        [
            f"FROM alpine:3.20\nRUN echo ${tag}_{i}a `date`\nRUN cd /x\n"
            f"RUN <<EOF\necho ${tag}_{i}b\nEOF\n"
            for i in range(5)
        ]
        + ["FROM alpine:3.20\nRUN echo $same_in_two\n"] * 2
        + ["FROM alpine:3.20\n"]
    )


@pytest.fixture
def executable() -> str:
    """The ShellCheck binary dflint runs (the test is skipped without one)."""
    found = _shellcheck.find_shellcheck()
    if found is None:
        pytest.skip("shellcheck is not installed")
    return found


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The ShellCheck command lines run (with an empty result cache to begin with, and
    one process at a time whatever the machine: tests that spread set ``_idle_cpus``)."""
    seen: list[list[str]] = []
    real = subprocess.run

    def spy(cmd: list[str], **kwargs: Any) -> Any:
        seen.append(cmd)
        return real(cmd, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    monkeypatch.setattr(_shellcheck, "_cache", OrderedDict())
    monkeypatch.setattr(_shellcheck, "_idle_cpus", lambda: 1)
    return seen


@needs_shellcheck
def test_prefetch_one_process_per_batch_same_findings(
    monkeypatch: pytest.MonkeyPatch, calls: list[list[str]]
) -> None:
    texts = _batch_texts("prefetch_" + str(id(calls)))
    prepared = engine.prepare(Settings())
    models = [engine.build(t, "Dockerfile") for t in texts]
    engine.prefetch([(m, prepared) for m in models])  # starts one process, in the background
    batched = [
        engine.lint_text(t, "Dockerfile", prepared, strict=True, built=m)
        for t, m in zip(texts, models, strict=True)
    ]
    assert len(calls) == 1  # check found every script in the cache
    monkeypatch.setattr(_shellcheck, "_cache", OrderedDict())
    alone = [engine.lint_text(t, "Dockerfile", prepared, strict=True) for t in texts]
    assert len(calls) == 1 + 5 + 1  # one per file with scripts (the 2nd copy is cached)
    assert [r.findings for r in batched] == [r.findings for r in alone]
    assert any(f.external_code for r in batched for f in r.findings)


@needs_shellcheck
def test_background_check_is_waited_for_not_repeated(
    monkeypatch: pytest.MonkeyPatch, calls: list[list[str]], executable: str
) -> None:
    texts = [f"#!/bin/sh\necho $background_{i}\ncd /x\n" for i in range(5)]
    monkeypatch.setattr(_shellcheck, "_idle_cpus", lambda: 2)
    threads: list[str] = []
    real_thread = threading.Thread

    def thread(*args: Any, **kwargs: Any) -> threading.Thread:
        threads.append(kwargs["name"])
        return real_thread(*args, **kwargs)

    monkeypatch.setattr(threading, "Thread", thread)
    _shellcheck.start(executable, texts, batch=2)  # three batches, on two threads
    _shellcheck.start(executable, texts)  # all in flight already: nothing more to start
    results = _shellcheck.check_scripts(executable, texts)
    assert len(calls) == 3
    assert threads == ["dflint-shellcheck"] * 2
    assert not _shellcheck._pending
    assert [{c.code for c in r} for r in results] == [{2086, 2154, 2164}] * 5
    monkeypatch.setattr(_shellcheck, "_cache", OrderedDict())
    assert _shellcheck.check_scripts(executable, texts) == results  # the same, run directly


@needs_shellcheck
def test_few_scripts_are_spread_over_the_cpus(
    monkeypatch: pytest.MonkeyPatch, calls: list[list[str]], executable: str
) -> None:
    monkeypatch.setattr(_shellcheck, "_idle_cpus", lambda: 3)
    texts = [f"#!/bin/sh\necho $spread_{i}\n" + "cd /x\n" * i for i in range(5)]
    _shellcheck.start(executable, texts)
    results = _shellcheck.check_scripts(executable, texts)
    assert len(calls) == 3  # one process per CPU, at the same time
    per_process = [sum(a.endswith(".sh") for a in c) for c in calls]
    assert sorted(per_process) == [1, 2, 2]  # every script in one of them, balanced by size
    monkeypatch.setattr(_shellcheck, "_cache", OrderedDict())
    assert _shellcheck.check_scripts(executable, texts) == results  # as one process finds


def test_balanced_groups_keep_every_script_once() -> None:
    texts = ["a" * n for n in (50, 10, 40, 30, 20)]
    groups = _shellcheck._balanced(texts, 2)
    assert sorted(t for g in groups for t in g) == sorted(texts)
    assert [sum(map(len, g)) for g in groups] == [80, 70]
    assert _shellcheck._balanced(texts[:1], 4) == [texts[:1]]


def test_a_pool_process_runs_one_shellcheck_at_a_time() -> None:
    import multiprocessing

    from dflint import pool, run

    if sys.platform.startswith("linux"):  # dflint's own pool: the parent and the children
        assert pool.fork_map(lambda i: _shellcheck._idle_cpus(), 4, 2) == [1, 1, 1, 1]
    ctx = multiprocessing.get_context("spawn")  # a multiprocessing worker of the CLI
    with ctx.Pool(1, run._init_worker, (None, [])) as workers:
        assert workers.apply(_shellcheck._idle_cpus) == 1
    assert _shellcheck._idle_cpus() == (os.cpu_count() or 1)


def _failing_shellcheck(folder: Path) -> Path:
    """A `shellcheck` that fails with the message `boom`."""
    fake = folder / "shellcheck"
    fake.write_text("#!/bin/sh\necho 'boom' >&2\nexit 3\n")
    fake.chmod(0o755)
    return fake


def test_failed_background_check_is_run_again_and_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = _failing_shellcheck(tmp_path)
    monkeypatch.setattr(_shellcheck, "_cache", OrderedDict())
    texts = ["#!/bin/sh\necho $failing_background\n"]
    _shellcheck.start(str(fake), texts)
    with pytest.raises(_shellcheck.ShellcheckUnavailable, match="boom"):
        _shellcheck.check_scripts(str(fake), texts)
    assert not _shellcheck._pending


@needs_shellcheck
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_prefetch_changes_no_output(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    jobs: str,
) -> None:
    for i, text in enumerate(_batch_texts(f"cli_{jobs}_" + str(id(tmp_path))) * 3):
        (tmp_path / f"{i:02}.Dockerfile").write_text(text)
    argv = ["check", "--isolated", "--jobs", jobs, "--format", "json", str(tmp_path)]
    monkeypatch.setattr(_shellcheck, "_cache", OrderedDict())
    cli.main(argv)
    batched = capsys.readouterr().out
    monkeypatch.setattr(engine, "prefetch", lambda batch: None)
    monkeypatch.setattr(_shellcheck, "_cache", OrderedDict())
    cli.main(argv)
    assert capsys.readouterr().out == batched
    assert "SC2164" in batched


def test_failing_prefetch_leaves_the_rule_its_note(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = _failing_shellcheck(tmp_path)
    monkeypatch.setattr(rule_module, "find_shellcheck", lambda: str(fake))
    text = "FROM alpine:3.20\nRUN echo $failing_prefetch\n"
    prepared = engine.prepare(Settings(), select=["DF360"])
    m = engine.build(text, "Dockerfile")
    engine.prefetch([(m, prepared)])
    result = engine.lint_text(text, "Dockerfile", prepared, strict=True, built=m)
    assert result.findings == ()
    assert len(result.notes) == 1
    assert "boom" in result.notes[0]


def test_missing_shellcheck_is_silent_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rule_module, "find_shellcheck", lambda: None)
    result = lint("FROM alpine:3.20\nRUN echo $a_var\n")
    assert result.findings == ()
    assert result.notes == (
        "shellcheck not found; SC checks skipped (pip install 'dflint[shellcheck]')",
    )


@needs_shellcheck
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM debian:12-slim\nRUN [[ -f x ]] && echo hi\n", [("SC3010", 2)]),
        ("# hadolint shell=powershell\nFROM debian:12-slim\nRUN [[ -f x ]] && echo $HOME\n", []),
        (
            "# hadolint shell=bash\nFROM debian:12-slim\nRUN [[ -f x ]]\n"
            "FROM debian:12-slim\nRUN [[ -f x ]]\n",
            [],
        ),
        # In a stage: that stage only, and the stages built FROM it.
        (
            "FROM debian:12-slim\n# hadolint shell=bash\nRUN [[ -f x ]]\n"
            "FROM debian:12-slim\nRUN [[ -f x ]]\n",
            [("SC3010", 5)],
        ),
        ("FROM debian:12-slim AS base\n# hadolint shell=bash\nFROM base\nRUN [[ -f x ]]\n", []),
        # A later SHELL wins; after an ARG (before any FROM) it names no stage.
        (
            'FROM debian:12-slim\n# hadolint shell=bash\nSHELL ["/bin/sh", "-c"]\nRUN [[ -f x ]]\n',
            [("SC3010", 4)],
        ),
        ("ARG X=1\n# hadolint shell=bash\nFROM debian:12-slim\nRUN [[ -f x ]]\n", [("SC3010", 4)]),
    ],
)
def test_hadolint_shell_pragma(text: str, expected: list[tuple[str, int]]) -> None:
    found = [(f.external_code, text.count("\n", 0, f.span.start) + 1) for f in lint(text).findings]
    assert found == expected


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("# dflint: ignore=SC2086", []),  # ShellCheck could not say: not judged
        ("# dflint: ignore=SC2086,SC20", []),
        ("# dflint: ignore=SC2086,DF202", ["Suppression has unused codes: `DF202`"]),
        ("# dflint: ignore=DF202", ["Unused suppression of `DF202`"]),
    ],
)
def test_suppressions_of_codes_shellcheck_could_not_check(
    monkeypatch: pytest.MonkeyPatch, comment: str, expected: list[str]
) -> None:
    monkeypatch.setattr(rule_module, "find_shellcheck", lambda: None)
    text = f"FROM alpine:3.20\n{comment}\nRUN echo $HOME\n"
    result = lint(text, select=("DF360", "DF002", "DF202"))
    assert [f.message for f in result.findings if f.code == "DF002"] == expected
    # The rule did not run at all: its suppressions count as unused, as for any rule.
    result = lint(text, select=("DF002", "DF202"))
    assert [f.message for f in result.findings if f.code == "DF002"] != []


def test_failing_shellcheck_is_a_note(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = _failing_shellcheck(tmp_path)
    monkeypatch.setattr(rule_module, "find_shellcheck", lambda: str(fake))
    result = lint("FROM alpine:3.20\nRUN echo $failing_case\n")
    assert result.findings == ()
    assert len(result.notes) == 1
    assert "boom" in result.notes[0]


def test_garbage_output_is_a_note(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "shellcheck"
    fake.write_text("#!/bin/sh\necho 'not json'\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(rule_module, "find_shellcheck", lambda: str(fake))
    result = lint("FROM alpine:3.20\nRUN echo $garbage_case\n")
    assert result.findings == ()
    assert "unreadable output" in result.notes[0]


def test_timeout_is_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(cmd: list[str], **kwargs: Any) -> Any:
        raise subprocess.TimeoutExpired(cmd, 30)

    monkeypatch.setattr(rule_module, "find_shellcheck", lambda: "/bin/true")
    monkeypatch.setattr(subprocess, "run", slow)
    result = lint("FROM alpine:3.20\nRUN echo $timeout_case\n")
    assert result.findings == ()
    assert "timed out" in result.notes[0]


def test_cli_verbose_prints_the_note_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(rule_module, "find_shellcheck", lambda: None)
    for name in ("a.Dockerfile", "b.Dockerfile"):
        (tmp_path / name).write_text("FROM alpine:3.20\nRUN echo hi\n")
    cli.main(["check", "--isolated", "--verbose", "--select", "DF360", str(tmp_path)])
    err = capsys.readouterr().err
    assert err.count("shellcheck not found") == 1
    cli.main(["check", "--isolated", "--select", "DF360", str(tmp_path)])
    assert "shellcheck" not in capsys.readouterr().err


# -- SC codes as selectors ---------------------------------------------------------------
TEXT = "FROM alpine:3.20\nRUN echo $a_var `date`\n"


@needs_shellcheck
def test_select_and_ignore_sc_codes() -> None:
    codes = {c for c, _ in found(lint(TEXT))}
    assert {"SC2086", "SC2154", "SC2046", "SC2006"} <= codes
    assert {c for c, _ in found(lint(TEXT, select=["SC2086"]))} == {"SC2086"}
    assert {c for c, _ in found(lint(TEXT, select=["SC2086", "SC2154"]))} == {"SC2086", "SC2154"}
    assert {c for c, _ in found(lint(TEXT, select=["SC20"]))} == {"SC2006", "SC2046", "SC2086"}
    assert "SC2086" not in {c for c, _ in found(lint(TEXT, ignore=["SC2086"]))}
    assert {c for c, _ in found(lint(TEXT, ignore=["SC2"]))} == set()
    everything = lint(TEXT, select=None, ignore=["SC"])  # the whole rule
    assert not any(f.code == "DF360" for f in everything.findings)
    # a rule-level selector keeps every code; ignore wins over select
    assert {c for c, _ in found(lint(TEXT, select=["DF3", "SC2086"]))} >= codes
    assert {c for c, _ in found(lint(TEXT, select=["SC2086"], ignore=["SC2086"]))} == set()
    default = lint(TEXT, select=None, ignore=["SC2154"])
    assert "SC2154" not in {f.external_code for f in default.findings}
    assert "SC2086" in {f.external_code for f in default.findings}


@needs_shellcheck
def test_config_select_ignore_and_severity() -> None:
    settings = Settings.from_table(
        {"ignore": ["SC2006"], "severity": {"SC2086": "error", "SC20": "style"}, **ALL_LEVELS}
    )
    result = lint(TEXT, settings)
    sev = {f.external_code: f.severity for f in result.findings}
    assert "SC2006" not in sev
    assert sev["SC2086"] is Severity.ERROR  # the longer prefix wins
    assert sev["SC2046"] is Severity.STYLE
    assert sev["SC2154"] is Severity.WARNING
    whole = lint(TEXT, Settings.from_table({"severity": {"shellcheck": "error"}, **ALL_LEVELS}))
    assert {f.severity for f in whole.findings} == {Severity.ERROR}


@needs_shellcheck
def test_suppression_comments() -> None:
    text = (
        "FROM alpine:3.20\n"
        "# dflint: ignore=SC2086\nRUN echo $a_var\n"
        "# hadolint ignore=SC2154,SC2086\nRUN echo $b_var\n"
        "# dflint: ignore-file=SC2154\n"
    )
    result = lint(text, select=["DF360", "DF002"])
    assert found(result) == []  # DF002 too: every suppression was used
    suppressed = [c for c, _ in found(result, with_suppressed=True)]
    assert sorted(suppressed) == ["SC2086", "SC2086", "SC2154", "SC2154"]


@needs_shellcheck
def test_unused_sc_suppression_is_reported() -> None:
    text = "FROM alpine:3.20\n# dflint: ignore=SC2164\nRUN echo ok\n"
    result = lint(text, select=["DF360", "DF002"])
    assert [f.code for f in result.findings] == ["DF002"]


@needs_shellcheck
def test_per_file_ignores() -> None:
    settings = Settings.from_table({"per-file-ignores": {"Dockerfile": ["SC2086", "SC21"]}})
    off = engine.ignored_for_path(settings, "Dockerfile", default_registry())
    assert off == {"SC2086", "SC21"}
    result = lint(TEXT)
    kept = {f.external_code for f in result.findings if not engine.is_off(f, off)}
    assert "SC2086" not in kept
    assert "SC2154" not in kept
    assert "SC2046" in kept


# -- the registry extension --------------------------------------------------------------
def _rule(code: str, prefix: str | None) -> Rule[NoOptions]:
    return Rule(
        code=code,
        name=f"r-{code.lower()}",
        summary="s",
        severity=Severity.WARNING,
        fix=rule_module.RULE.fix,
        since="0.1.0",
        doc="",
        options=NoOptions,
        check=rule_module.RULE.check,
        external_prefix=prefix,
    )


def test_registry_external_selectors() -> None:
    reg = Registry([_rule("DF001", "SC"), _rule("DF002", None)])
    assert reg.external("SC2086") == (reg.rules[0], "SC2086")
    assert reg.external("sc20") == (reg.rules[0], "SC20")
    assert reg.external("SC") is None  # the bare prefix names the whole rule
    assert reg.match("SC") == ([reg.rules[0]], True)
    assert reg.match("SC2086") == ([reg.rules[0]], True)
    assert reg.external("XY12") is None
    assert reg.external_filter(reg.rules[0], ["SC2086"], (), ["SC2154"]) == ExternalFilter(
        ("SC2086",), ("SC2154",), ("SC2086",)
    )
    assert reg.external_filter(reg.rules[0], None) == ExternalFilter()
    # With the whole rule selected too, every code is kept and the named ones are known.
    assert reg.external_filter(reg.rules[0], None, ["SC2086"]) == ExternalFilter(
        None, (), ("SC2086",)
    )
    assert [r.code for r in reg.select(None, (), ["SC2086"])] == ["DF001", "DF002"]


@pytest.mark.parametrize(("prefix"), ["S", "sc", "DF"])
def test_registry_rejects_bad_prefixes(prefix: str) -> None:
    with pytest.raises(PluginError):
        Registry([_rule("DF001", prefix)])


def test_registry_rejects_a_taken_prefix() -> None:
    with pytest.raises(PluginError):
        Registry([_rule("DF001", "SC"), _rule("DF003", "SC")])


def test_shell_pragmas_in_many_stages_are_found_as_by_walking_the_stages() -> None:
    """The `# hadolint shell=` lookup is a bisection in an index made once per file (no
    longer a walk over the stage per RUN); it names the same shell as the walk."""
    import random

    from dflint import ast
    from dflint.engine import build
    from dflint.model import Model
    from dflint_rules.packages import shellcheck as rule

    def walk(model: Model, node: ast.Run) -> str | None:
        stage = model.stage_of(node)
        assert stage is not None
        pragmas, default = rule._pragmas(model)
        before = node.span.start
        for current in model.lineage(stage):
            start = current.node.span.start
            index = current.index + 1
            later = model.stages[index].node.span.start if index < len(model.stages) else before
            end = min(before, later)
            events: list[tuple[int, str | None]] = [(p, n) for p, n in pragmas if start < p < end]
            events += [
                (n.span.start, None)
                for n in current.instructions
                if isinstance(n, ast.Shell) and n.span.start < end
            ]
            if events:
                return max(events, key=lambda e: e[0])[1]
            before = len(model.source.text) + 1
        return default

    rng = random.Random(7)
    lines = ["# hadolint shell=ksh"]  # before the first FROM: the file's default
    for i in range(120):
        choice = rng.random()
        if choice < 0.15:
            base = f"s{rng.randrange(i)}" if i and rng.random() < 0.6 else "alpine:3.20"
            lines.append(f"FROM {base} AS s{i}")
        elif choice < 0.3:
            lines.append(f"# hadolint shell={rng.choice(('bash', 'sh', 'dash'))}")
        elif choice < 0.4:
            lines.append('SHELL ["/bin/bash", "-c"]')
        else:
            lines.append(f"RUN echo {i}")
    text = lines[0] + "\nFROM alpine:3.20 AS s0\n" + "\n".join(lines[1:]) + "\n"
    model = build(text, "Dockerfile")
    runs = [n for n in model.dockerfile.instructions if isinstance(n, ast.Run)]
    assert len(runs) > 50
    for node in runs:
        stage = model.stage_of(node)
        assert stage is not None
        assert rule._pragma_shell(model, stage, node.span.start) == walk(model, node)


# -- levels: warning and error by default, the rest opt-in ------------------------------
LEVELS = "FROM alpine:3.20\nRUN echo $a_var `date`\n"  # SC2154 warning, SC2086 info, SC2006 style


@needs_shellcheck
def test_default_reports_warnings_and_errors_only() -> None:
    default = {c for c, _ in found(lint(LEVELS, Settings()))}
    assert default == {"SC2154", "SC2046"}
    info = Settings.from_table({"rules": {"shellcheck": {"min-level": "info"}}})
    assert {c for c, _ in found(lint(LEVELS, info))} == {"SC2154", "SC2046", "SC2086"}
    assert {c for c, _ in found(lint(LEVELS))} == {"SC2154", "SC2046", "SC2086", "SC2006"}
    errors = Settings.from_table({"rules": {"DF360": {"min-level": "error"}}})
    assert found(lint(LEVELS, errors)) == []


@needs_shellcheck
@pytest.mark.parametrize(
    ("table", "select", "expected"),
    [
        ({}, ["SC2086"], {"SC2086"}),
        ({}, ["DF360", "SC2086"], {"SC2154", "SC2046", "SC2086"}),
        ({}, ["SC20"], {"SC2006", "SC2046", "SC2086"}),
        ({"extend-select": ["SC2006"]}, None, {"SC2154", "SC2046", "SC2006"}),
        ({"select": ["DF360", "SC2086"]}, None, {"SC2154", "SC2046", "SC2086"}),
        ({"severity": {"SC2086": "warning"}}, ["DF360"], {"SC2154", "SC2046", "SC2086"}),
    ],
)
def test_an_explicitly_named_code_is_reported_whatever_its_level(
    table: dict[str, Any], select: list[str] | None, expected: set[str]
) -> None:
    result = lint(LEVELS, Settings.from_table(table), select=select)
    assert {f.external_code for f in result.findings if f.code == "DF360"} == expected


@needs_shellcheck
def test_suppressions_of_codes_left_out_by_level_are_not_unused() -> None:
    text = "FROM alpine:3.20\n# dflint: ignore=SC2086\nRUN echo $HOME\n"
    result = lint(text, Settings(), select=("DF360", "DF002"))
    assert [f.code for f in result.findings] == []
    stale = "FROM alpine:3.20\n# dflint: ignore=SC2086\nRUN echo ok\n"
    result = lint(stale, Settings(), select=("DF360", "DF002"))
    assert [f.message for f in result.findings] == ["Unused suppression of `SC2086`"]


def test_min_level_is_validated() -> None:
    from dflint.config import ConfigError

    with pytest.raises(ConfigError, match=r"min.level"):
        engine.prepare(Settings.from_table({"rules": {"shellcheck": {"min-level": "loud"}}}))


# -- true but changing nothing, or advice that breaks the intent --------------------------
@needs_shellcheck
@pytest.mark.parametrize(
    ("run", "code"),
    [
        # text for a file that expands it later, also through a redirected group
        ("{ echo 'a=${X}'; echo 'b=${Y}'; } > \"$D/x.ini\"", "SC2016"),
        ("( echo 'a=${X}' ) >> /etc/x.conf", "SC2016"),
        # package lists split on purpose
        ('BUILD_DEPS="gcc make" && apk add $BUILD_DEPS && apk del $BUILD_DEPS', "SC2086"),
        ("apt-get install -y $missing_chrome_deps", "SC2086"),
        ('saved="$(apt-mark showmanual)" && apt-mark manual $saved', "SC2086"),
        ("x=$RUN_DEPS; echo $savedAptMark $RUN_DEPS", "SC2086"),
        ('list="a b c"; for p in $list; do echo "$p"; done', "SC2086"),
        # a substitution that prints one word, or flags to split
        ("make -j$(nproc)", "SC2046"),
        ("mv target/$(uname -m | sed s/x86_64/amd64/)/app /app", "SC2046"),
        ("make -j$(nproc || sysctl -n hw.ncpu || echo 1)", "SC2046"),
        ("dpkg -i /tmp/app_$(dpkg --print-architecture).deb", "SC2046"),
        ("gcc -shared x.c `pkg-config --libs icu-uc` -o x.so", "SC2046"),
        ("apt-get install -y $(cat /tmp/packages.txt)", "SC2046"),
        ('export GNUPGHOME="$(mktemp -d)" && echo "$GNUPGHOME"', "SC2155"),
        ('export CC=$(xx-info)-gcc && echo "$CC"', "SC2155"),
        # quotes in an exported value are for the program that reads it
        ('export LD="-extldflags \'-static\'" && go build -ldflags="${LD} -s"', "SC2089"),
        ('export LD="-extldflags \'-static\'" && go build -ldflags="${LD} -s"', "SC2090"),
    ],
)
def test_exempt_findings(run: str, code: str) -> None:
    text = f"FROM debian:12-slim\nARG D=/etc\nRUN {run}\n"
    assert code not in {c for c, _ in found(lint(text))}


@needs_shellcheck
@pytest.mark.parametrize(
    ("run", "code"),
    [
        ("echo '${HOME}'", "SC2016"),  # printed, not written to a file
        ("{ echo '${HOME}'; } 2> /tmp/err", "SC2016"),  # only stderr goes to the file
        ("cp $SOURCE_FILE /x", "SC2086"),
        ('name="$(cat /name)" && cp $name /x', "SC2086"),
        ("ls -l $(date)", "SC2046"),  # `date` prints several words
        ("rm -rf $(find /tmp -name x)", "SC2046"),
        ('export DATA="$(curl -fsS https://example.com/x)"', "SC2155"),
        # the quotes do not reach the program: the value is expanded unquoted
        ("export LD=\"-extldflags '-static'\" && go build -ldflags=$LD", "SC2089"),
        ("LD=\"-extldflags '-static'\" && go build -ldflags=$LD", "SC2089"),
    ],
)
def test_findings_that_stay(run: str, code: str) -> None:
    text = f"FROM debian:12-slim\nRUN {run}\n"
    assert code in {c for c, _ in found(lint(text))}


@needs_shellcheck
def test_unused_variable_is_info_and_opt_in() -> None:
    text = "FROM debian:12-slim\nRUN unused=1\n"
    assert found(lint(text, Settings())) == []
    (finding,) = lint(text, select=["SC2034"]).findings
    assert finding.severity is Severity.INFO


@pytest.mark.skipif(os.name == "nt", reason="Windows uses shutil.which itself")
def test_which_finds_what_shutil_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    first, second, empty = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder in (first, second, empty):
        folder.mkdir()
    (first / "tool").write_text("#!/bin/sh\n")  # not executable: skipped
    (second / "tool").write_text("#!/bin/sh\n")
    (second / "tool").chmod(0o755)
    (first / "dir").mkdir()  # a folder is not a program
    paths = [
        os.pathsep.join(map(str, (first, second))),
        os.pathsep.join(map(str, (empty, first))),
        "",
        str(second),
    ]
    for path in paths:
        for name in ("tool", "dir", "missing"):
            assert _shellcheck._which(name, path=path) == shutil.which(name, path=path)
    monkeypatch.setenv("PATH", os.pathsep.join(map(str, (first, second))))
    assert _shellcheck._which("tool") == shutil.which("tool") == str(second / "tool")
    monkeypatch.delenv("PATH")
    assert _shellcheck._which("sh") == shutil.which("sh")
