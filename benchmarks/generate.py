"""A seeded generator of varied, mostly realistic Dockerfiles.

``generate(seed, count)`` is deterministic: the same arguments always give the same
files. The corpus covers every instruction and its flags, exec/shell forms (including
invalid JSON that falls back to shell form), ENV/LABEL new and legacy forms, line
continuations with comments, blank lines and trailing whitespace inside them, escaped
escapes, the backtick escape directive, ``syntax``/``check`` directives, BOMs, CRLF line
endings, heredocs of every shape, mixed keyword case, realistic single- and multi-stage
builds, and a small share of broken files (what BuildKit's parser rejects).

Used by the differential parser tests and by ``benchmarks/parse.py``; run it directly to
write a corpus: ``python -m benchmarks.generate --seed 1 --count 50 --out /tmp/corpus``.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

IMAGES = (
    "alpine:3.20",
    "debian:12-slim",
    "ubuntu:24.04",
    "python:3.12-slim",
    "node:22-alpine",
    "golang:1.23",
    "rust:1.81",
    "eclipse-temurin:21-jre",
    "nginx:1.27",
    "gcr.io/distroless/static-debian12:nonroot",
    "registry.example.com:5000/team/base@sha256:" + "a" * 64,
    "scratch",
    "${BASE_IMAGE}",
    "$REGISTRY/app:${VERSION:-latest}",
    "mcr.microsoft.com/windows/servercore:ltsc2022",
)
PLATFORMS = ("linux/amd64", "linux/arm64", "$BUILDPLATFORM", "${TARGETPLATFORM}", "linux/arm/v7")
PACKAGES = (
    "curl",
    "ca-certificates",
    "git",
    "build-essential",
    "libpq-dev",
    "tini",
    "jq",
    "openssl",
    "tzdata",
    "python3-pip",
    "unzip",
    "gnupg",
)
PATHS = ("/app", "/usr/src/app", "/srv", "/opt/tool", "/workspace", "/home/app", "/data")
FILES = (
    "package.json",
    "package-lock.json",
    "requirements.txt",
    "go.mod",
    "go.sum",
    "Cargo.toml",
    "src/",
    ".",
    "./config/*.yaml",
    "entrypoint.sh",
    "dist/",
    "pom.xml",
    "*.txt",
)
WORDS = ("hello", "world", "build", "release", "v1.2.3", "prod", "x86_64", "debug", "café", "日本")
UNKNOWN = ("FOO", "RUNN", "COPYY", 'CMD["x"]', "ECHO", "SET", "INCLUDE", "RUN\u00a0echo")


class _File:
    """State for one file being generated."""

    def __init__(self, rng: random.Random, escape: str) -> None:
        self.rng = rng
        self.esc = escape
        self.lines: list[str] = []
        self.stages: list[str] = []

    # -- small helpers ------------------------------------------------------------
    def kw(self, word: str) -> str:
        r = self.rng.random()
        if r < 0.85:
            return word
        if r < 0.93:
            return word.lower()
        return "".join(c.upper() if self.rng.random() < 0.5 else c.lower() for c in word)

    def pick(self, seq: tuple[str, ...]) -> str:
        return self.rng.choice(seq)

    def sep(self) -> str:
        r = self.rng.random()
        if r < 0.9:
            return " "
        return self.rng.choice(("  ", "\t", " \t ", "\x0b", "\x0c"))

    def joined(self, head: str, parts: list[str], indent: str = "    ") -> list[str]:
        """``head part part ...`` as one line or continued over several physical lines."""
        rng = self.rng
        if len(parts) < 2 or rng.random() < 0.45:
            return [" ".join([head, *parts])]
        out = [head]
        for part in parts:
            if rng.random() < 0.55 or len(out) == 1:
                trail = rng.choice(("", "", "", " ", "\t", "  "))
                out[-1] += " " + self.esc + trail
                extra = rng.random()
                if extra < 0.08:
                    out.append("# " + self.pick(WORDS) + " inside a continuation")
                elif extra < 0.12:
                    out.append("    #indented comment " + self.esc)
                elif extra < 0.15:
                    out.append(rng.choice(("", "   ", "\t")))
                elif extra < 0.17:
                    out.append(self.esc)
                out.append(rng.choice((indent, "  ", "\t", "")) + part)
            else:
                out[-1] += " " + part
        return out

    def flag_value(self, value: str) -> str:
        r = self.rng.random()
        if r < 0.1:
            return '"' + value + '"'
        if r < 0.14:
            return "'" + value + "'"
        return value

    # -- instructions -------------------------------------------------------------
    def from_(self, name: str | None) -> list[str]:
        rng = self.rng
        parts: list[str] = []
        if rng.random() < 0.2:
            parts.append("--platform=" + self.flag_value(self.pick(PLATFORMS)))
        base = self.pick(IMAGES)
        if self.stages and rng.random() < 0.3:
            base = rng.choice(self.stages)
        parts.append(base)
        if name is not None:
            parts += [rng.choice(("AS", "as", "As")), name]
            self.stages.append(name)
        if rng.random() < 0.02:
            parts.append("extra")
        return [self.kw("FROM") + self.sep() + " ".join(parts)]

    def run(self) -> list[str]:
        rng = self.rng
        flags: list[str] = []
        r = rng.random()
        if r < 0.25:
            mount = rng.choice(
                (
                    "type=cache,target=/root/.cache/pip",
                    "type=cache,target=/var/cache/apt,sharing=locked",
                    "type=bind,source=.,target=/src",
                    "type=secret,id=npmrc,target=/root/.npmrc",
                    "type=ssh",
                    "type=tmpfs,target=/tmp,size=64m",
                    "type=cache,id=go,target=/go/pkg/mod",
                    "from=builder,source=/out,target=/in",
                    '"type=bind,source=a b,target=/x"',
                )
            )
            flags.append("--mount=" + mount)
            if rng.random() < 0.3:
                flags.append("--mount=type=cache,target=/root/.npm")
        if rng.random() < 0.08:
            flags.append("--network=" + rng.choice(("none", "host", "default")))
        if rng.random() < 0.05:
            flags.append("--security=" + rng.choice(("insecure", "sandbox")))
        if rng.random() < 0.1:
            return self.heredoc_run(flags)
        kw = self.kw("RUN")
        if rng.random() < 0.12:
            return [kw + " " + " ".join([*flags, self.exec_form()])]
        return self.joined(kw, [*flags, *self.shell_commands()])

    def shell_commands(self) -> list[str]:
        rng = self.rng
        cmds = rng.choice(
            (
                [
                    "apt-get update",
                    "&& apt-get install -y --no-install-recommends "
                    + " ".join(rng.sample(PACKAGES, 3)),
                    "&& rm -rf /var/lib/apt/lists/*",
                ],
                ["apk add --no-cache " + " ".join(rng.sample(PACKAGES, 2))],
                ["pip install --no-cache-dir -r requirements.txt"],
                ["npm ci --omit=dev", "&& npm cache clean --force"],
                ["go build -o /out/app ./cmd/app"],
                ['echo "' + self.pick(WORDS) + '" > /etc/motd'],
                ["set -eux;", "mkdir -p " + self.pick(PATHS) + ";", "chown -R 1000:1000 /data"],
                ["useradd -m app # not a comment"],
                ["echo a\\\\"],
                ["cat <<<here-string"],
                ['echo "$HOME ${PATH}" | tee -a /tmp/log'],
                ["curl -fsSL https://example.com/install.sh | sh -s -- --yes"],
                ["[ -f /etc/os-release ] && cat /etc/os-release"],
                ["./configure --prefix=/usr", "&& make -j$(nproc)", "&& make install"],
            )
        )
        return list(cmds)

    def exec_form(self) -> str:
        rng = self.rng
        r = rng.random()
        words = rng.sample(("/bin/sh", "-c", "echo", "hi", "app", "--port=8080", "x y"), 3)
        if r < 0.6:
            sp = rng.choice((", ", ",", " , "))
            return "[" + sp.join('"' + w + '"' for w in words) + "]"
        return rng.choice(
            (
                "[]",
                '[ "a" ]',
                '["c:\\\\windows\\\\system32"]',
                '["\\u00e9t\\u00e9", "tab\\there", "q\\"uote"]',
                "['single', 'quotes']",
                '["trailing", "comma",]',
                '["c:\\windows"]',
                '["unterminated"',
                "[not json]",
                "[ ]",
                '["a",\t"b"]',
                '["é", "\\/slash"]',
            )
        )

    def heredoc_run(self, flags: list[str]) -> list[str]:
        rng = self.rng
        kw = self.kw("RUN")
        shape = rng.randrange(7)
        head = " ".join([kw, *flags])
        if shape == 0:
            return [
                head + " <<EOF",
                "set -e",
                "apt-get update",
                "apt-get install -y " + self.pick(PACKAGES),
                "EOF",
            ]
        if shape == 1:
            return [head + " <<-EOT bash", "\tif true; then", "\t\techo yes", "\tfi", "\tEOT"]
        if shape == 2:
            q = rng.choice(("'EOF'", '"EOF"', "E'O'F", '"E"OF'))
            return [head + " <<" + q, "echo $HOME \\", "  ${X}", "# a hash line", "", "EOF"]
        if shape == 3:
            return [
                head + " <<A cat > /a.txt && <<B cat > /b.txt",
                "first",
                "B",
                "A",
                "second",
                "B",
            ]
        if shape == 4:
            return [head + " 3<<EOF cat /dev/fd/3", "fd three", "EOF"]
        if shape == 5:
            return [head + " python3 - <<PY", "import sys", "print(sys.version)", "PY"]
        return [head + " " + self.esc, "  <<EOF", "echo continued marker", "EOF"]

    def cmd_like(self, word: str) -> list[str]:
        rng = self.rng
        kw = self.kw(word)
        r = rng.random()
        if r < 0.55:
            return [kw + self.sep() + self.exec_form()]
        if r < 0.6:
            return [kw + ' ["a"] trailing']
        if r < 0.63:
            return [kw]
        if r < 0.68:
            return [kw + ' ["a", ' + self.esc, '  "b"]']
        return self.joined(kw, rng.choice((["npm", "start"], ["./app", "--serve", "--port 80"])))

    def shell(self) -> list[str]:
        rng = self.rng
        value = rng.choice(
            ('["/bin/bash", "-o", "pipefail", "-c"]', '["powershell", "-Command"]', "/bin/sh -c")
        )
        return [self.kw("SHELL") + " " + value]

    def copy(self, word: str) -> list[str]:
        rng = self.rng
        flags: list[str] = []
        if word == "COPY":
            if self.stages and rng.random() < 0.3:
                flags.append("--from=" + rng.choice(self.stages))
            if rng.random() < 0.05:
                flags.append("--parents")
            if rng.random() < 0.1:
                flags.append("--exclude=" + self.flag_value("*.md"))
        else:
            if rng.random() < 0.15:
                flags.append("--checksum=sha256:" + "b" * 64)
            if rng.random() < 0.1:
                flags.append("--keep-git-dir=" + rng.choice(("true", "false")))
            if rng.random() < 0.1:
                flags.append("--unpack" + rng.choice(("", "=true", "=false")))
            if rng.random() < 0.05:
                flags.append("--exclude=*.tmp")
        if rng.random() < 0.2:
            flags.append("--chown=" + self.flag_value(rng.choice(("1000:1000", "app:app", "$UID"))))
        if rng.random() < 0.1:
            flags.append("--chmod=" + rng.choice(("755", "0644", "u+x")))
        if rng.random() < 0.12:
            flags.append("--link" + rng.choice(("", "=true", "=false")))
        kw = self.kw(word)
        r = rng.random()
        if r < 0.1:
            srcs = rng.sample(FILES, 2)
            return [
                kw
                + " "
                + " ".join([*flags, "[" + ", ".join(f'"{s}"' for s in srcs) + ', "/x y/"]'])
            ]
        if r < 0.18:
            name = rng.choice(("EOF", "CONF", "script.sh"))
            body = rng.choice((["key=value", "other=1"], ["#!/bin/sh", "echo $1"], []))
            return [kw + " " + " ".join([*flags, "<<" + name, self.pick(PATHS) + "/"]), *body, name]
        if r < 0.21:
            return [kw + " <<A <<B /dest/", "aaa", "B", "A", "bbb", "B"]
        if r < 0.23:
            return [kw + " " + " ".join([*flags, "--", "--weird-name", "/dst"])]
        srcs = rng.sample(FILES, rng.randint(1, 3))
        if word == "ADD" and rng.random() < 0.4:
            srcs = [rng.choice(("https://example.com/a.tar.gz", "git@github.com:o/r.git#v1"))]
        if rng.random() < 0.05:
            srcs = ['"a b"']
        return self.joined(kw, [*flags, *srcs, self.pick(PATHS) + rng.choice(("/", ""))])

    def env_like(self, word: str) -> list[str]:
        rng = self.rng
        kw = self.kw(word)
        r = rng.random()
        if r < 0.2:  # legacy form
            value = rng.choice(
                ("1.2.3", "hello world", "TWO= THREE=world", '"quoted value"', "a\\ b  ")
            )
            key = rng.choice(("VERSION", "APP_HOME", "org.opencontainers.image.title"))
            return [kw + " " + key + self.sep() + value]
        pairs = []
        for _ in range(rng.randint(1, 4)):
            key = rng.choice(
                (
                    "PATH",
                    "APP_ENV",
                    "LANG",
                    '"com.example.key"',
                    "maintainer",
                    "org.opencontainers.image.source",
                    "PYTHONUNBUFFERED",
                )
            )
            value = rng.choice(
                (
                    "1",
                    "",
                    '""',
                    '"hello world"',
                    "'single $quoted'",
                    "a\\ b",
                    "/usr/local/bin:$PATH",
                    "${HOME}/bin",
                    '"esc \\" quote"',
                    "C.UTF-8",
                    "x=y",
                )
            )
            pairs.append(key + "=" + value)
        return self.joined(kw, pairs)

    def arg(self) -> list[str]:
        rng = self.rng
        decls = []
        for _ in range(rng.randint(1, 2)):
            name = rng.choice(("VERSION", "BASE_IMAGE", "TARGETARCH", "UID", "NODE_ENV"))
            default = rng.choice(("", "=1.0", "=", '="a b"', "=${X:-y}", "=alpine:3.20"))
            decls.append(name + default)
        flags = ["--foo=1"] if rng.random() < 0.02 else []
        return [self.kw("ARG") + " " + " ".join([*flags, *decls])]

    def misc(self) -> list[str]:
        rng = self.rng
        choice = rng.randrange(9)
        if choice == 0:
            ports = rng.sample(("80", "443", "8080/tcp", "53/udp", "8000-8010", "$PORT"), 2)
            return [self.kw("EXPOSE") + " " + " ".join(ports)]
        if choice == 1:
            return [self.kw("USER") + " " + rng.choice(("app", "1000:1000", "nobody", "a b"))]
        if choice == 2:
            return [self.kw("WORKDIR") + " " + self.pick(PATHS)]
        if choice == 3:
            value = rng.choice(('["/data"]', "/data /logs", '["/a", "/b c"]', "/var/lib/app"))
            return [self.kw("VOLUME") + " " + value]
        if choice == 4:
            sig = rng.choice(("SIGTERM", "SIGQUIT", "9", "--foo=1 9"))
            return [self.kw("STOPSIGNAL") + " " + sig]
        if choice == 5:
            return self.healthcheck()
        if choice == 6:
            return self.onbuild()
        if choice == 7:
            return [self.kw("MAINTAINER") + " Jane Doe <jane@example.com>"]
        return [self.pick(UNKNOWN) + rng.choice(("", " bar baz", " --flag=1 x"))]

    def healthcheck(self) -> list[str]:
        rng = self.rng
        kw = self.kw("HEALTHCHECK")
        if rng.random() < 0.2:
            return [kw + " " + rng.choice(("NONE", "none", "--interval=5s NONE"))]
        flags = []
        for name, values in (
            ("interval", ("30s", "1m30s", "5")),
            ("timeout", ("3s", "10s")),
            ("start-period", ("5s",)),
            ("start-interval", ("1s",)),
            ("retries", ("3", "0")),
        ):
            if rng.random() < 0.35:
                flags.append(f"--{name}={rng.choice(values)}")
        typ = rng.choice(("CMD", "cmd", "CMD", "FOO"))
        if rng.random() < 0.4:
            return [kw + " " + " ".join([*flags, typ, self.exec_form()])]
        return self.joined(kw, [*flags, typ, "curl -f http://localhost/", "|| exit 1"])

    def onbuild(self) -> list[str]:
        rng = self.rng
        kw = self.kw("ONBUILD")
        r = rng.random()
        if r < 0.15:
            return [kw + " " + self.kw("RUN") + " <<EOF", "echo onbuild heredoc", "EOF"]
        if r < 0.2:
            return [kw + " --foo=1 " + self.kw("RUN") + " x"]
        if r < 0.25:
            return [kw + " " + self.kw("ONBUILD") + " RUN x"]
        inner = rng.choice(
            (
                lambda: self.copy("COPY"),
                lambda: self.copy("ADD"),
                lambda: self.run(),
                lambda: self.env_like("ENV"),
                lambda: self.cmd_like("CMD"),
                lambda: [self.pick(UNKNOWN) + " x"],
                lambda: self.misc(),
            )
        )()
        return [kw + " " + inner[0], *inner[1:]]


def _directives(rng: random.Random, f: _File, escape_directive: bool) -> list[str]:
    out: list[str] = []
    if rng.random() < 0.04:
        out.append("#!/usr/bin/env docker-build")
    if rng.random() < 0.4:
        out.append(
            rng.choice(
                (
                    "# syntax=docker/dockerfile:1",
                    "#syntax=docker/dockerfile:1.7-labs",
                    "# SYNTAX = docker/dockerfile:1.4",
                )
            )
        )
    if escape_directive:
        out.append(rng.choice(("# escape=`", "#escape=`", "  # ESCAPE = `", "#\tescape=`")))
    elif rng.random() < 0.05:
        out.append("# escape=\\")
    if rng.random() < 0.15:
        out.append(
            rng.choice(
                ("# check=skip=JSONArgsRecommended", "# check=error=true", "# check=skip=all")
            )
        )
    return out


def _broken(rng: random.Random, lines: list[str]) -> list[str]:
    """Inject one thing BuildKit's parser rejects."""
    kind = rng.randrange(10)
    at = rng.randint(1, len(lines))
    if kind == 0:
        return [*lines, "RUN <<EOF", "echo never terminated"]
    if kind == 1:
        return [
            *lines[:at],
            rng.choice(('CMD ["a", 1]', "RUN [null]", 'ENTRYPOINT [["x"]]')),
            *lines[at:],
        ]
    if kind == 2:
        return [*lines[:at], rng.choice(("ENV A=1 B", "LABEL a=b c", "ENV A")), *lines[at:]]
    if kind == 3:
        return ["# escape=`", "# escape=\\", *lines]
    if kind == 4:
        return ["# escape=x", *lines]
    if kind == 5:
        return ["# syntax=a", "# syntax=b", *lines]
    if kind == 6:
        return rng.choice((["# only a comment"], [], ["", "   ", "# c"]))
    if kind == 7:
        return [*lines[:at], "LABEL lonely", *lines[at:]]
    if kind == 8:
        return [*lines[:at], 'VOLUME ["a", true]', *lines[at:]]
    return [*lines, "COPY <<EOF /x", "body without end"]


def _stage(f: _File, rng: random.Random, name: str | None, final: bool) -> list[str]:
    lines = f.from_(name)
    body_len = rng.randint(2, 9)
    for _ in range(body_len):
        if rng.random() < 0.15:
            lines.append(rng.choice(("", "# " + f.pick(WORDS), "#", "   # indented comment")))
        r = rng.random()
        if r < 0.35:
            lines += f.run()
        elif r < 0.55:
            lines += f.copy(rng.choice(("COPY", "COPY", "ADD")))
        elif r < 0.67:
            lines += f.env_like(rng.choice(("ENV", "LABEL")))
        elif r < 0.73:
            lines += f.arg()
        elif r < 0.75:
            lines += f.shell()
        else:
            lines += f.misc()
    if final:
        if rng.random() < 0.5:
            lines += f.cmd_like("ENTRYPOINT")
        lines += f.cmd_like("CMD")
    return lines


def generate_one(rng: random.Random) -> str:
    """One Dockerfile."""
    backtick = rng.random() < 0.08
    f = _File(rng, "`" if backtick else "\\")
    lines = _directives(rng, f, backtick)
    if rng.random() < 0.3:
        lines += f.arg()
    if rng.random() < 0.2:
        lines.append("")
    names = ("builder", "deps", "build-env", "Test_Stage.1", "runtime", "base")
    n_stages = rng.choice((1, 1, 1, 2, 2, 3))
    for i in range(n_stages):
        final = i == n_stages - 1
        name = None if final and rng.random() < 0.7 else rng.choice(names) + str(i)
        lines += _stage(f, rng, name, final)
        lines.append("")
    if rng.random() < 0.07:
        lines = _broken(rng, lines)
    newline = "\r\n" if rng.random() < 0.1 else "\n"
    text = newline.join(lines)
    if rng.random() < 0.85:
        text += newline
    elif rng.random() < 0.3:
        text += " " + f.esc  # continuation at EOF
    if rng.random() < 0.05:
        text = "\ufeff" + text
    return text


def generate(seed: int, count: int) -> list[str]:
    """``count`` Dockerfiles, the same for the same ``seed``."""
    rng = random.Random(seed)
    return [generate_one(random.Random(rng.getrandbits(64))) for _ in range(count)]


# -- lint benchmark corpus: realistic files only -----------------------------------
_WINDOWS_IMAGES = (
    "mcr.microsoft.com/windows/servercore:ltsc2022",
    "mcr.microsoft.com/dotnet/framework/sdk:4.8",
    "mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022",
)
_CHAIN = (
    "apt-get update",
    "apt-get install -y --no-install-recommends {pkgs}",
    "rm -rf /var/lib/apt/lists/*",
    "curl -fsSL https://example.com/{word}.tar.gz -o /tmp/{word}.tar.gz",
    "tar -xzf /tmp/{word}.tar.gz -C /opt",
    "rm -f /tmp/{word}.tar.gz",
    'echo "{word}" >> /etc/motd',
    "mkdir -p {path}",
    "chown -R 1000:1000 {path}",
    "cd {path}",
    "make -j$(nproc)",
    "make install",
    "pip install --no-cache-dir {word}==1.2.3",
    "ln -s /opt/{word}/bin/{word} /usr/local/bin/{word}",
    "useradd --no-log-init -r -u 1000 app",
    "test -f /etc/os-release",
    'for f in /etc/*.conf; do echo "$f"; done',
    "sed -i 's/{word}/x/g' /etc/app.conf",
)


def windows_file(rng: random.Random) -> str:
    """A Windows Dockerfile: ``# escape=` ``, PowerShell, backtick continuations."""
    f = _File(rng, "`")
    lines = ["# escape=`", "", "FROM " + rng.choice(_WINDOWS_IMAGES)]
    lines.append('SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]')
    for _ in range(rng.randint(2, 6)):
        r = rng.random()
        if r < 0.5:
            steps = [
                "Invoke-WebRequest -Uri https://example.com/{0}.zip -OutFile {0}.zip;".format(
                    f.pick(WORDS)
                ),
                "Expand-Archive {0}.zip -DestinationPath C:\\{0};".format(f.pick(WORDS)),
                "Remove-Item -Force *.zip;",
                "[Environment]::SetEnvironmentVariable('PATH', $env:PATH + ';C:\\tool', 'User');",
            ]
            lines += f.joined("RUN", rng.sample(steps, rng.randint(2, 4)))
        elif r < 0.7:
            lines.append("COPY " + rng.choice(("app/", "*.ps1", "config.json")) + " C:\\app\\")
        elif r < 0.85:
            lines.append("ENV APP_HOME=C:\\app `")
            lines.append("    DOTNET_CLI_TELEMETRY_OPTOUT=1")
        else:
            lines.append("WORKDIR C:\\app")
    lines.append('CMD ["powershell", "-File", "C:\\\\app\\\\start.ps1"]')
    return "\r\n".join(lines) + "\r\n"


def long_run_file(rng: random.Random) -> str:
    """A single- or two-stage build whose RUNs are long ``&&`` chains (10-40 commands)."""
    f = _File(rng, "\\")
    lines = ["# syntax=docker/dockerfile:1", "FROM " + rng.choice(IMAGES[:10]) + " AS build"]
    for _ in range(rng.randint(1, 3)):
        cmds = []
        for _ in range(rng.randint(10, 40)):
            cmds.append(
                rng.choice(_CHAIN).format(
                    pkgs=" ".join(rng.sample(PACKAGES, 3)),
                    word=rng.choice(WORDS[:8]),
                    path=rng.choice(PATHS),
                )
            )
        lines.append("RUN set -eux; \\")
        lines += ["    " + c + " && \\" for c in cmds[:-1]]
        lines.append("    " + cmds[-1])
        lines += f.copy("COPY")
    if rng.random() < 0.5:
        lines += ["", "FROM " + rng.choice(IMAGES[:10]), "COPY --from=build /opt /opt"]
        lines += ["USER 1000", 'CMD ["/opt/app"]']
    return "\n".join(lines) + "\n"


def generate_lint_corpus(seed: int, count: int) -> list[str]:
    """``count`` files for the lint benchmark, the same for the same ``seed``: 70% from
    :func:`generate_one`, 20% long RUN chains (:func:`long_run_file`), 10% Windows
    files (:func:`windows_file`)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        file_rng = random.Random(rng.getrandbits(64))
        r = file_rng.random()
        if r < 0.1:
            out.append(windows_file(file_rng))
        elif r < 0.3:
            out.append(long_run_file(file_rng))
        else:
            out.append(generate_one(file_rng))
    return out


def _clean_stage(rng: random.Random, name: str) -> list[str]:
    """A stage that every parser accepts (hadolint's too): RUN chains, COPY, ENV, ..."""
    lines = ["FROM " + rng.choice(IMAGES[:10]) + " AS " + name]
    for _ in range(rng.randint(2, 6)):
        r = rng.random()
        if r < 0.45:
            cmds = [
                rng.choice(_CHAIN).format(
                    pkgs=" ".join(rng.sample(PACKAGES, 3)),
                    word=rng.choice(WORDS[:8]),
                    path=rng.choice(PATHS),
                )
                for _ in range(rng.randint(1, 8))
            ]
            lines += ["RUN " + cmds[0] + (" && \\" if len(cmds) > 1 else "")]
            lines += ["    " + c + " && \\" for c in cmds[1:-1]]
            lines += ["    " + cmds[-1]] if len(cmds) > 1 else []
        elif r < 0.65:
            lines.append(
                "COPY " + " ".join(rng.sample(FILES[:8], 2)) + " " + rng.choice(PATHS) + "/"
            )
        elif r < 0.75:
            lines.append("ENV APP_ENV=prod PATH=/opt/bin:$PATH")
        elif r < 0.85:
            lines.append("WORKDIR " + rng.choice(PATHS))
        elif r < 0.92:
            lines.append("ARG VERSION=1.0")
        else:
            lines.append('LABEL org.opencontainers.image.title="' + rng.choice(WORDS[:8]) + '"')
    return lines


def generate_large(seed: int, lines: int) -> str:
    """One multi-stage Dockerfile of at least ``lines`` lines that every parser accepts."""
    rng = random.Random(seed)
    out: list[str] = ["# syntax=docker/dockerfile:1", "ARG VERSION=1.0"]
    i = 0
    while len(out) < lines:
        out += _clean_stage(rng, f"stage{i}")
        out.append("")
        i += 1
    out += ["USER 1000", 'CMD ["/opt/app"]']
    return "\n".join(out) + "\n"


_FRAGMENTS = (
    "\\",
    "`",
    '"',
    "'",
    "[",
    "]",
    '["x", ',
    ", 1]",
    " <<EOF",
    "<<-X ",
    "<<'Q'",
    "3<<EOF",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\\\n",
    "\\ \n",
    "`\n",
    "\n#",
    "\n\n",
    "#",
    "=",
    "--",
    "--x=1 ",
    "\u00a0",
    "\x0b",
    ",",
    "$",
    "\nEOF\n",
    "\nX\n",
    "\nQ\n",
    "\n\tX\n",
    "ONBUILD ",
    "\ufeff",
    "é",
)


def mutate(rng: random.Random, text: str, edits: int = 3) -> str:
    """``text`` with a few random insertions, deletions and line duplications.

    Not realistic: meant to reach the parser's corner cases in differential tests.
    """
    for _ in range(edits):
        pos = rng.randint(0, len(text))
        r = rng.random()
        if r < 0.7:
            text = text[:pos] + rng.choice(_FRAGMENTS) + text[pos:]
        elif r < 0.85:
            text = text[:pos] + text[pos + rng.randint(1, 3) :]
        else:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
    return text


def generate_fuzz(seed: int, count: int) -> list[str]:
    """``count`` mutated Dockerfiles (see :func:`mutate`), the same for the same ``seed``."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        file_rng = random.Random(rng.getrandbits(64))
        out.append(mutate(file_rng, generate_one(file_rng), file_rng.randint(1, 6)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--lint", action="store_true", help="the lint benchmark's mix")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    corpus = (generate_lint_corpus if args.lint else generate)(args.seed, args.count)
    for i, text in enumerate(corpus):
        path = args.out / f"{args.seed}-{i:05d}.Dockerfile"
        path.write_bytes(text.encode("utf-8"))


if __name__ == "__main__":
    main()
