"""Before/after tables for the rules' fixes: text in, fixed text out, one rule selected.

``fixed`` applies a rule's fixes to a fixpoint the way the fix engine does (whole fixes,
non-overlapping edits, ``\\n`` in replacements written as the file's line ending), then
lints again: the rule must no longer fire where a fix was applied, and the result must
parse without new errors.
"""

from __future__ import annotations

import pytest

from dflint import engine
from dflint.parse import parse
from dflint.rule import Edit, Finding
from dflint_rules import PACK

RULES = {r.name: r for r in PACK.rules}


def _lint(name: str, text: str) -> list[Finding]:
    rule = RULES[name]
    prepared = [engine.PreparedRule(rule, rule.options.from_table({}), rule.severity)]
    return list(engine.lint_text(text, "Dockerfile", prepared, strict=True).findings)


def _apply(text: str, findings: list[Finding], unsafe: bool) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    chosen: list[Edit] = []
    seen: set[tuple[Edit, ...]] = set()
    for finding in findings:
        fix = finding.fix
        if fix is None or not (fix.safe or unsafe) or fix.edits in seen:
            continue
        seen.add(fix.edits)
        spans = [e.span for e in chosen]
        clash = any(
            (e.span.start < s.end and s.start < e.span.end) or e.span.start == s.start
            for e in fix.edits
            for s in spans
        )
        if not clash:
            chosen.extend(fix.edits)
    for edit in sorted(chosen, key=lambda e: e.span.start, reverse=True):
        replacement = edit.replacement.replace("\n", newline)
        text = text[: edit.span.start] + replacement + text[edit.span.end :]
    return text


def fixed(name: str, text: str, *, unsafe: bool = True) -> str:
    errors = len(parse(text).errors)
    for _ in range(4):
        after = _apply(text, _lint(name, text), unsafe)
        if after == text:
            break
        text = after
    assert len(parse(text).errors) <= errors, "the fix introduced a syntax error"
    left = [f for f in _lint(name, text) if f.fix is not None and (f.fix.safe or unsafe)]
    assert not left, f"{name} still fires with a fix after fixing: {left}"
    return text


def safety(name: str, text: str) -> set[bool]:
    return {f.fix.safe for f in _lint(name, text) if f.fix is not None}


CASES: list[tuple[str, str, str]] = [
    # -- instruction casing
    (
        "inconsistent-instruction-casing",
        "FROM alpine:3.20\nrun echo hi\nCopy . /app\n",
        "FROM alpine:3.20\nRUN echo hi\nCOPY . /app\n",
    ),
    (
        "inconsistent-instruction-casing",
        "from alpine:3.20\nrun echo hi\nCOPY . /app\nonbuild run make\n",
        "from alpine:3.20\nrun echo hi\ncopy . /app\nonbuild run make\n",
    ),
    (
        "inconsistent-instruction-casing",
        "FROM alpine:3.20\r\nrun echo hi \\\r\n  there\r\n",
        "FROM alpine:3.20\r\nRUN echo hi \\\r\n  there\r\n",
    ),
    (
        "from-as-casing",
        "FROM debian:12 as build\nfrom debian:12 AS run\n",
        "FROM debian:12 AS build\nfrom debian:12 as run\n",
    ),
    (
        "from-as-casing",
        "FROM \\\n  debian:12 \\\n  As build\n",
        "FROM \\\n  debian:12 \\\n  AS build\n",
    ),
    # -- EXPOSE
    (
        "expose-protocol-casing",
        "FROM nginx\nEXPOSE 80/TCP 53/Udp\n",
        "FROM nginx\nEXPOSE 80/tcp 53/udp\n",
    ),
    (
        "expose-protocol-casing",
        "FROM nginx\nONBUILD EXPOSE 80/TCP\nEXPOSE 8080:80/TCP\n",
        "FROM nginx\nONBUILD EXPOSE 80/TCP\nEXPOSE 8080:80/tcp\n",
    ),
    # -- empty continuation lines
    (
        "empty-continuation-line",
        "FROM alpine\nRUN apk add \\\n\n  curl \\\n   \n  git\n",
        "FROM alpine\nRUN apk add \\\n  curl \\\n  git\n",
    ),
    (
        "empty-continuation-line",
        "# escape=`\r\nFROM alpine\r\nRUN echo `\r\n\r\n  hi\r\n",
        "# escape=`\r\nFROM alpine\r\nRUN echo `\r\n  hi\r\n",
    ),
    # -- package managers: inserted options
    (
        "apt-get-missing-yes",
        "FROM debian\nRUN apt-get update && apt-get install curl\n",
        "FROM debian\nRUN apt-get update && apt-get install -y curl\n",
    ),
    (
        "apt-get-missing-yes",
        'FROM debian\nRUN ["apt-get", "install", "curl"]\n',
        'FROM debian\nRUN ["apt-get", "install", "-y", "curl"]\n',
    ),
    (
        "apt-get-missing-yes",
        "FROM debian\nONBUILD RUN sudo apt-get \\\n  install curl\n",
        "FROM debian\nONBUILD RUN sudo apt-get \\\n  install -y curl\n",
    ),
    (
        "apt-get-missing-yes",
        "FROM debian\nRUN sh -c 'apt-get install curl' && \\\n    apt-get remove git\n",
        "FROM debian\nRUN sh -c 'apt-get install -y curl' && \\\n    apt-get remove -y git\n",
    ),
    (
        "apt-get-missing-yes",
        "FROM debian\r\nRUN <<EOF\r\napt-get install curl\r\nEOF\r\n",
        "FROM debian\r\nRUN <<EOF\r\napt-get install -y curl\r\nEOF\r\n",
    ),
    (
        "apt-get-missing-yes",
        "# escape=`\nFROM debian\nRUN apt-get install `\n  curl\n",
        "# escape=`\nFROM debian\nRUN apt-get install -y `\n  curl\n",
    ),
    (
        "apt-missing-no-install-recommends",
        "FROM debian\nRUN apt-get install -y curl\n",
        "FROM debian\nRUN apt-get install --no-install-recommends -y curl\n",
    ),
    (
        "apk-add-missing-no-cache",
        "FROM alpine\nRUN apk add curl && apk --quiet add git\n",
        "FROM alpine\nRUN apk add --no-cache curl && apk --quiet add --no-cache git\n",
    ),
    (
        "pip-install-without-no-cache-dir",
        "FROM python\nRUN pip install flask && python -m pip install -U pip\n",
        "FROM python\nRUN pip install --no-cache-dir flask"
        " && python -m pip install --no-cache-dir -U pip\n",
    ),
    (
        "dnf-missing-yes",
        "FROM fedora\nRUN dnf install httpd\n",
        "FROM fedora\nRUN dnf install -y httpd\n",
    ),
    (
        "yum-missing-yes",
        "FROM centos\nRUN yum install httpd\n",
        "FROM centos\nRUN yum install -y httpd\n",
    ),
    (
        "zypper-missing-non-interactive",
        "FROM opensuse/leap\nRUN zypper install curl\n",
        "FROM opensuse/leap\nRUN zypper --non-interactive install curl\n",
    ),
    (
        "zypper-missing-non-interactive",
        'FROM opensuse/leap\nRUN ["zypper", "in", "curl"]\n',
        'FROM opensuse/leap\nRUN ["zypper", "--non-interactive", "in", "curl"]\n',
    ),
    # -- stage names
    (
        "stage-name-casing",
        "FROM alpine AS Build\nRUN --mount=type=cache,from=BUILD,target=/x true\n"
        "FROM Build AS Final\nCOPY --from=Build /a /b\nFROM debian\nCOPY --from=final /c /d\n",
        "FROM alpine AS build\nRUN --mount=type=cache,from=build,target=/x true\n"
        "FROM build AS final\nCOPY --from=build /a /b\nFROM debian\nCOPY --from=final /c /d\n",
    ),
    (
        "stage-name-casing",
        "FROM alpine AS Base\r\nONBUILD COPY --from=Base /a /b\r\nFROM \\\r\n  Base\r\n",
        "FROM alpine AS base\r\nONBUILD COPY --from=Base /a /b\r\nFROM \\\r\n  base\r\n",
    ),
    # -- MAINTAINER
    (
        "maintainer-deprecated",
        "FROM alpine\nMAINTAINER Jane Doe <jane@example.org>\n",
        'FROM alpine\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.org>"\n',
    ),
    (
        "maintainer-deprecated",
        'FROM alpine\r\nmaintainer Jo "J" $USER \\x\r\n',
        'FROM alpine\r\nlabel org.opencontainers.image.authors="Jo \\"J\\" \\$USER \\\\x"\r\n',
    ),
    (
        "maintainer-deprecated",
        '# escape=`\nFROM alpine\nMAINTAINER C:\\Jo "J" `x $y\n',
        '# escape=`\nFROM alpine\nLABEL org.opencontainers.image.authors="C:\\Jo `"J`" ``x `$y"\n',
    ),
    # -- legacy ENV/LABEL
    (
        "legacy-key-value-format",
        'FROM alpine\nENV A /srv/app\nENV B  hello  $NAME \nLABEL c "x y"\nENV D \'a b\'"c d"\n',
        'FROM alpine\nENV A=/srv/app\nENV B="hello  $NAME" \nLABEL c="x y"\nENV D=\'a b\'"c d"\n',
    ),
    (
        "legacy-key-value-format",
        "FROM alpine\r\nONBUILD ENV A \\\r\n  x\r\nENV P C:\\x\r\n",
        "FROM alpine\r\nONBUILD ENV A=x\r\nENV P=C:\\x\r\n",
    ),
    (
        "legacy-key-value-format",
        "# escape=`\nFROM alpine\nENV P C:\\a b\n",
        '# escape=`\nFROM alpine\nENV P="C:\\a b"\n',
    ),
    # -- ADD
    (
        "add-instead-of-copy",
        "FROM alpine\nADD --chown=1:1 app.py /app/\nonbuild add . /src\n",
        "FROM alpine\nCOPY --chown=1:1 app.py /app/\nonbuild copy . /src\n",
    ),
    # -- WORKDIR
    ("relative-workdir", "FROM node\nWORKDIR app\n", "FROM node\nWORKDIR /app\n"),
    ("relative-workdir", "FROM node\nWORKDIR ./app\n", "FROM node\nWORKDIR /app\n"),
    # -- CMD/ENTRYPOINT/HEALTHCHECK
    (
        "shell-form-command",
        "FROM python\nENTRYPOINT python -m app\nCMD gunicorn \\\n  app:server\n",
        'FROM python\nENTRYPOINT ["python", "-m", "app"]\nCMD ["gunicorn", "app:server"]\n',
    ),
    (
        "shell-form-command",
        'FROM python\r\nCMD ./run.sh "$PORT" || exit 1\r\n',
        'FROM python\r\nCMD ["/bin/sh", "-c", "./run.sh \\"$PORT\\" || exit 1"]\r\n',
    ),
    (
        "shell-form-command",
        "FROM scratch\r\nHEALTHCHECK CMD /app --check\r\n",
        'FROM scratch\r\nHEALTHCHECK CMD ["/app", "--check"]\r\n',
    ),
    # -- apt lists
    (
        "apt-lists-not-deleted",
        "FROM debian\nRUN apt-get update \\\n && apt-get install -y curl\n",
        "FROM debian\nRUN apt-get update \\\n && apt-get install -y curl"
        " && rm -rf /var/lib/apt/lists/*\n",
    ),
    (
        "apt-lists-not-deleted",
        "FROM debian\r\nONBUILD RUN apt-get update; apt-get -qq update && apt install -y x\r\n",
        "FROM debian\r\nONBUILD RUN apt-get update; apt-get -qq update && apt install -y x"
        " && rm -rf /var/lib/apt/lists/*\r\n",
    ),
    (
        "apt-lists-not-deleted",
        "# escape=`\nFROM debian\nRUN apt-get update `\n && apt-get install -y curl\n",
        "# escape=`\nFROM debian\nRUN apt-get update `\n && apt-get install -y curl"
        " && rm -rf /var/lib/apt/lists/*\n",
    ),
    # -- update alone
    (
        "package-update-alone",
        "FROM debian\nRUN apt-get update\r\n# install\r\nRUN apt-get install -y curl\r\n",
        "FROM debian\n# install\r\nRUN apt-get update && apt-get install -y curl\r\n",
    ),
    (
        "package-update-alone",
        "FROM alpine\nRUN apk update\nRUN apk update && apk add curl\n",
        "FROM alpine\nRUN apk update && apk add curl\n",
    ),
]


@pytest.mark.parametrize(("name", "before", "after"), CASES)
def test_fix(name: str, before: str, after: str) -> None:
    assert fixed(name, before) == after


def test_fix_is_idempotent() -> None:
    for name, _, after in CASES:
        assert fixed(name, after) == after, name


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # a verb split by a line continuation: no guessing where the option goes
        ("apt-get-missing-yes", "FROM debian\nRUN apt-get ins\\\ntall curl\n"),
        # a protocol from a variable is not in the file
        ("expose-protocol-casing", "FROM nginx\nARG P=80/TCP\nEXPOSE $P\n"),
        # spaces and escape characters: the value could not be kept provably identical
        ("legacy-key-value-format", "FROM alpine\nENV A a\\ b c\n"),
        ("legacy-key-value-format", 'FROM alpine\nENV A "a b" \'c\n'),
        # ADD-only flag, or a source that may be an archive
        ("add-instead-of-copy", "FROM alpine\nADD --checksum=sha256:0 app.py /app/\n"),
        ("add-instead-of-copy", "FROM alpine\nADD app.py rootfs.tar /\n"),
        ("relative-workdir", "FROM node\nWORKDIR ~/app\n"),
        ("shell-form-command", "FROM a\nENTRYPOINT ./run.sh || exit 1\n"),
        ("shell-form-command", "FROM scratch\nHEALTHCHECK CMD curl -f x || exit 1\n"),
        ("apt-lists-not-deleted", "FROM debian\nRUN apt-get update\n"),
        ("apt-lists-not-deleted", "FROM debian\nRUN apt-get update && apt-get install -y x # hm\n"),
        (
            "apt-lists-not-deleted",
            'FROM debian\nRUN ["sh", "-c", "apt-get update && apt-get install -y x"]\n',
        ),
        # the install RUN is not next, or the update RUN does more
        (
            "package-update-alone",
            "FROM debian\nRUN apt-get update\nENV A=1\nRUN apt-get install -y x\n",
        ),
        (
            "package-update-alone",
            "FROM debian\nRUN --network=host apt-get update\nRUN apt-get install -y x\n",
        ),
        (
            "package-update-alone",
            "FROM debian\nRUN apt-get update\nFROM debian\nRUN apt-get install -y x\n",
        ),
        ("maintainer-deprecated", "FROM alpine\nMAINTAINER Jane \\\n  Doe\n"),
    ],
)
def test_no_fix(name: str, text: str) -> None:
    findings = _lint(name, text)
    assert findings
    assert all(f.fix is None for f in findings)


@pytest.mark.parametrize(
    ("name", "text", "safe"),
    [
        ("apt-get-missing-yes", "FROM debian\nRUN apt-get install curl\n", True),
        ("apt-missing-no-install-recommends", "FROM debian\nRUN apt-get install -y x\n", False),
        ("inconsistent-instruction-casing", "FROM a\nrun x\n", True),
        ("legacy-key-value-format", "FROM a\nENV A b c\n", True),
        ("add-instead-of-copy", "FROM a\nADD x /y\n", False),
        ("relative-workdir", "FROM a\nWORKDIR x\n", False),
        ("shell-form-command", "FROM a\nCMD x\n", False),
        ("apt-lists-not-deleted", "FROM a\nRUN apt-get update && apt-get install -y x\n", False),
        ("package-update-alone", "FROM a\nRUN apt-get update\nRUN apt-get install -y x\n", False),
        ("empty-continuation-line", "FROM a\nRUN x \\\n\n  y\n", True),
        ("expose-protocol-casing", "FROM a\nEXPOSE 80/TCP\n", True),
        ("apk-add-missing-no-cache", "FROM a\nRUN apk add x\n", True),
        ("pip-install-without-no-cache-dir", "FROM a\nRUN pip install x\n", True),
        ("yum-missing-yes", "FROM a\nRUN yum install x\n", True),
        ("dnf-missing-yes", "FROM a\nRUN dnf install x\n", True),
        ("zypper-missing-non-interactive", "FROM a\nRUN zypper in x\n", True),
        ("from-as-casing", "FROM a as b\n", True),
        ("stage-name-casing", "FROM a AS B\n", True),
        ("maintainer-deprecated", "FROM a\nMAINTAINER x\n", True),
    ],
)
def test_fix_safety(name: str, text: str, safe: bool) -> None:
    assert safety(name, text) == {safe}


@pytest.mark.parametrize(("name", "before", "after"), CASES)
def test_engine_agrees(name: str, before: str, after: str) -> None:
    """The fix engine (``dflint.fix.fix_text``) produces the same text as the table."""
    from dflint.fix import fix_text

    rule = RULES[name]
    prepared = [engine.PreparedRule(rule, rule.options.from_table({}), rule.severity)]
    assert fix_text(before, "Dockerfile", prepared, strict=True, unsafe=True).text == after
