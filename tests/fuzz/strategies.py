"""Hypothesis strategies for Dockerfiles, valid and broken.

Built from pieces that matter to the parser and the rules: instructions with flags,
exec and shell forms, quotes, variable expansions (``${A:-${B}}``), line continuations
(with comments and blank lines inside), heredocs, parser directives and suppression
comments. ``broken`` then damages a valid file: unclosed quotes, brackets, heredocs
and expansions, stray escapes, odd line breaks and bytes.
"""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = st.sampled_from(["A", "B", "HOME", "PATH", "VERSION", "x_1", "TARGETPLATFORM", "_"])
WORDS = st.sampled_from(
    ["alpine", "app", "/app", ".", "a b", "é", "--", "-y", "curl", "*.txt", "1.2", "0", ""]
)
IMAGES = st.sampled_from(
    [
        "alpine:3.20",
        "debian",
        "ubuntu:latest",
        "scratch",
        "r.example:5000/a/b@sha256:" + "a" * 64,
        "${BASE}",
        "$B:${TAG:-1}",
        "builder",
        "python:3.12-slim",
    ]
)
SPECIAL_TEXT = st.text(
    alphabet=st.sampled_from(list("ab $'\"\\`{}[]():=,-#&|;<>\t\r\x00\ufeff\u2028é")),
    max_size=12,
)


@st.composite
def expansions(draw: st.DrawFn, depth: int = 0) -> str:
    name = draw(NAMES)
    form = draw(st.sampled_from(["$", "{}", ":-", "-", ":+", "+", ":?", "#", "%", "/", "bad"]))
    if form == "$":
        return f"${name}"
    if form == "{}":
        return f"${{{name}}}"
    if form == "bad":
        return draw(st.sampled_from(["${", "${}", "${:-x}", "$", "${A:", "${A:-${B}"]))
    inner = draw(expansions(depth + 1)) if depth < 3 and draw(st.booleans()) else draw(WORDS)
    if form == "/":
        return f"${{{name}/{inner}/x}}"
    return f"${{{name}{form}{inner}}}"


def _quoted(piece: str, quote: str) -> str:
    return f"{quote}{piece}{quote}" if quote else piece


@st.composite
def values(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.one_of(WORDS, expansions(), SPECIAL_TEXT), min_size=1, max_size=4))
    quote = draw(st.sampled_from(["", "", '"', "'"]))
    return _quoted("".join(pieces), quote)


@st.composite
def flags(draw: st.DrawFn) -> str:
    name = draw(
        st.sampled_from(
            [
                "platform",
                "from",
                "chown",
                "chmod",
                "link",
                "mount",
                "network",
                "security",
                "interval",
                "keep-git-dir",
                "checksum",
                "exclude",
                "parents",
                "unknown",
            ]
        )
    )
    value = draw(
        st.one_of(
            values(),
            st.sampled_from(
                [
                    "type=cache,target=/root/.cache",
                    "type=secret,id=a,required",
                    "type=bind,from=builder,source=/a,target=/b",
                    "type=ssh",
                    "type=tmpfs,size=1",
                    "0",
                    "5s",
                    "linux/amd64",
                ]
            ),
        )
    )
    return f"--{name}" if draw(st.booleans()) and name == "link" else f"--{name}={value}"


@st.composite
def command(draw: st.DrawFn) -> str:
    """Shell-form or exec-form (JSON) arguments."""
    if draw(st.integers(0, 3)) == 0:
        items = draw(st.lists(values(), max_size=4))
        return "[" + ", ".join(f'"{i}"' for i in items) + draw(st.sampled_from(["]", "", "]]"]))
    parts = draw(
        st.lists(
            st.one_of(
                values(),
                st.sampled_from(
                    [
                        "apt-get update",
                        "apt-get install -y curl=1.2",
                        "apk add --no-cache git",
                        "pip install flask",
                        "cd /tmp",
                        "&&",
                        "|",
                        ";",
                        "$(id -u)",
                        "`uname`",
                        "sudo make",
                        "set -o pipefail",
                        "wget -qO- https://x | sh",
                        "npm install",
                        "yum install -y x",
                    ]
                ),
            ),
            min_size=1,
            max_size=6,
        )
    )
    return " ".join(parts)


@st.composite
def heredoc(draw: st.DrawFn) -> tuple[str, str]:
    """(the ``<<EOF`` word, the body and terminator lines)."""
    name = draw(st.sampled_from(["EOF", "END", "E_1", "x"]))
    quote = draw(st.sampled_from(["", "'", '"']))
    dash = draw(st.sampled_from(["", "-"]))
    body = draw(st.lists(st.one_of(command(), SPECIAL_TEXT), max_size=3))
    indent = "\t" if dash else ""
    end = draw(st.sampled_from([name, name, name + " ", "", "\t" + name]))
    return f"<<{dash}{quote}{name}{quote}", "".join(f"{b}\n" for b in body) + indent + end


@st.composite
def instruction(draw: st.DrawFn) -> str:
    keyword = draw(
        st.sampled_from(
            [
                "FROM",
                "RUN",
                "CMD",
                "LABEL",
                "EXPOSE",
                "ENV",
                "ADD",
                "COPY",
                "ENTRYPOINT",
                "VOLUME",
                "USER",
                "WORKDIR",
                "ARG",
                "ONBUILD",
                "STOPSIGNAL",
                "HEALTHCHECK",
                "SHELL",
                "MAINTAINER",
                "from",
                "Run",
                "FOO",
            ]
        )
    )
    flag_text = " ".join(draw(st.lists(flags(), max_size=2)))
    if keyword.upper() == "FROM":
        rest = draw(IMAGES) + draw(st.sampled_from(["", " AS build", " as b1", " AS", " x y z"]))
    elif keyword in ("ENV", "LABEL", "ARG"):
        pairs = draw(st.lists(st.tuples(NAMES, values()), min_size=1, max_size=3))
        sep = "=" if draw(st.integers(0, 4)) else " "
        rest = " ".join(f"{k}{sep}{v}" for k, v in pairs)
    elif keyword == "HEALTHCHECK":
        rest = draw(st.sampled_from(["NONE", "CMD ", "CMD curl -f x", "FOO"])) + draw(command())
    elif keyword == "ONBUILD":
        rest = draw(st.sampled_from(["RUN ", "ONBUILD RUN ", "FROM ", "COPY . /"])) + "x"
    elif keyword == "EXPOSE":
        rest = " ".join(
            draw(st.lists(st.sampled_from(["80", "80/tcp", "8080:80", "1-3/UDP", "$P", "x"])))
        )
    else:
        rest = draw(command())
    line = " ".join(p for p in (keyword, flag_text, rest) if p)
    if keyword.upper() in ("RUN", "COPY", "ADD") and draw(st.integers(0, 4)) == 0:
        word, body = draw(heredoc())
        line = f"{line} {word}\n{body}"
    return line


@st.composite
def continued(draw: st.DrawFn, line: str, escape: str) -> str:
    """Split ``line`` at spaces with continuations, comments and blank lines inside."""
    words = line.split(" ")
    out = words[0]
    for word in words[1:]:
        if draw(st.integers(0, 3)) == 0:
            extra = draw(st.sampled_from(["", "", "  # comment\n", "\n", " \t\n"]))
            newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
            out += f" {escape}{newline}{extra}"
        else:
            out += " "
        out += word
    return out


DIRECTIVES = st.sampled_from(
    [
        "# syntax=docker/dockerfile:1",
        "# escape=`",
        "# escape=\\",
        "# check=skip=all;error=true",
        "# dflint: ignore-file=DF201",
        "# dflint: ignore=DF201,DF999",
        "# hadolint ignore=DL3008",
        "#escape=x",
    ]
)


@st.composite
def dockerfiles(draw: st.DrawFn) -> str:
    """A Dockerfile that is often valid: directives, then instructions and comments."""
    head = draw(st.lists(DIRECTIVES, max_size=2))
    escape = "`" if "# escape=`" in head else "\\"
    lines = list(head)
    if draw(st.booleans()):
        lines.append(f"FROM {draw(IMAGES)}")
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            lines.append(draw(st.one_of(DIRECTIVES, st.just(""), st.just("# note"))))
        else:
            lines.append(draw(continued(draw(instruction()), escape)))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    text = newline.join(lines) + draw(st.sampled_from([newline, ""]))
    return ("\ufeff" if draw(st.integers(0, 9)) == 0 else "") + text


DAMAGE = st.sampled_from(
    ['"', "'", "[", "${", "<<EOF", "\\", "`", "\r", "\x00", "\u2028", "\ufeff", "$(", "\n\\\n"]
)


@st.composite
def broken(draw: st.DrawFn) -> str:
    """A generated Dockerfile with a few damaging insertions or a cut."""
    text = draw(dockerfiles())
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(DAMAGE) + text[at:] if draw(st.booleans()) else text[:at]
    return text
