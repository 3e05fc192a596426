"""Seeded Dockerfiles shaped for BuildKit's build checks, and mutants of them.

``generate(seed, count)`` makes real-shaped multi-stage files that exercise every check:
keyword casing (``FROM``/``from``/``From``, ``AS``/``as``), stage names (upper case,
duplicates, ``scratch``/``context``), ``FROM --platform`` constants and predefined ARGs
(also misspelt), global ARGs with and without defaults in image references, ARG/ENV
uses defined, misspelt and undefined (``${X:-d}``, escaped, single-quoted), ARG/ENV
names that look like secrets, legacy ``ENV a b`` / ``LABEL a b``, relative and absolute
WORKDIRs, CMD/ENTRYPOINT in shell and JSON form (with and without ``SHELL``), repeated
CMD/ENTRYPOINT/HEALTHCHECK, MAINTAINER, EXPOSE protocols and host mappings, COPY/ADD of
sources a ``.dockerignore`` excludes, ``--chmod``/``--chown`` with variables, empty
continuation lines, description comments above ARG and FROM, and ``# check=`` directives
(file-wide and per instruction, ``skip=``, ``error=true``, ``experimental=``).

``mutants(seed, count)`` edits generated files the way people do: duplicate, drop or swap
lines, change a keyword's casing, misspell a variable, splice two files. Everything
derives from one ``random.Random``: a seed reproduces a file exactly.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import replace

from tests.parity.buildkit import Inputs

IMAGES = (
    "alpine:3.20",
    "debian:12-slim",
    "python:3.12-slim",
    "node:22-alpine",
    "golang:1.23",
    "nginx:1.27",
    "scratch",
    "busybox",
    "ubuntu",
)
PLATFORMS = (
    "linux/amd64",
    "linux/arm64",
    "$BUILDPLATFORM",
    "${BUILDPLATFORM}",
    "$TARGETPLATFORM",
    "${TARGETPLATFORM}",
    "${BULIDPLATFORM:-linux/amd64}",
    "linux/${ARCH:-arm64}",
    "linux/$TARGETARCH",
    "$TARGETOS/$TARGETARCH",
    "windows/amd64",
)
STAGE_NAMES = (
    "build",
    "builder",
    "deps",
    "Build",
    "BuildStage",
    "build-amd64",
    "test_arm64",
    "runtime",
    "scratch",
    "context",
    "linux",
    "base",
)
ARG_NAMES = (
    "VERSION",
    "APP_HOME",
    "PORT",
    "MODE",
    "GITHUB_TOKEN",
    "API_KEY",
    "db_password",
    "PUBLIC_KEY",
    "TOKEN_FILE",
    "AUTH_MODULE_VERSION",
    "SSH_AUTH_SOCK",
    "npm_config_secret",
    "passwords",
    "author",
    "apikey",
)
VALUES = ("1.0", "/app", "8080", "0644", "prod", "", "x y", "latest")
SOURCES = (
    "package.json",
    "src/",
    ".",
    "./config",
    "README.md",
    "docs/guide.md",
    ".env",
    "secrets/key.pem",
    "build/out.bin",
    "*.txt",
    "Dockerfile",
)
# The files of every generated build context (dflint looks at them; BuildKit does not).
CONTEXT = ("package.json", "src/main.py", "README.md", "docs/guide.md", "app.txt", "Dockerfile")
IGNORES = (
    "*.md\n.env\nsecrets/\n",
    "**/*.pem\nbuild\n",
    "*\n!src\n",
    "Dockerfile\n.git\n",
    "docs\n*.txt\n",
    "*\n",
)
CHECK_DIRECTIVES = (
    "skip=all",
    "skip=JSONArgsRecommended",
    "skip=ConsistentInstructionCasing,FromAsCasing;error=true",
    "error=true",
    "experimental=InvalidDefinitionDescription",
    "skip=UndefinedVar // reason",
    "skip=jsonargsrecommended",
    "experimental=all;skip=StageNameCasing",
)


class _Gen:
    """One file being written."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.case = rng.choice(("upper", "upper", "upper", "lower", "mixed"))
        self.stages: list[str] = []
        self.meta: list[str] = []
        self.scope: list[str] = []
        self.build_args: dict[str, str] = {}  # what the build passes for FROM's ARGs

    def pick(self, options: tuple[str, ...]) -> str:
        return self.rng.choice(options)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def kw(self, word: str) -> str:
        mode = self.case
        if self.chance(0.06):
            mode = self.pick(("upper", "lower", "mixed"))
        if mode == "lower":
            return word.lower()
        if mode == "mixed":
            return word.capitalize() if self.chance(0.5) else word.upper()
        return word.upper()

    def var(self) -> str:
        """A variable use: one in scope, a near miss of one, or one never declared."""
        names = self.scope or ["PATH"]
        name = self.pick(tuple(names))
        r = self.rng.random()
        if r < 0.15 and len(name) > 3:
            name = name[:-1]  # a near miss
        elif r < 0.25:
            name = self.pick(("UNDEFINED", "foo", "HOME", "PATH", "PAHT", "1"))
        form = self.rng.random()
        if form < 0.5:
            return f"${name}"
        if form < 0.8:
            return f"${{{name}}}"
        if form < 0.9:
            return f"${{{name}:-dflt}}"
        return self.pick((f"\\${name}", f"'${name}'"))

    def emit(self, line: str) -> None:
        self.lines.append(line)

    def comment_above(self, name: str | None) -> None:
        r = self.rng.random()
        if r < 0.08 and name:
            self.emit(f"# {name} is described here")
        elif r < 0.16:
            self.emit("# a comment that describes nothing")
        elif r < 0.2:
            self.emit(f"# check=skip={self.pick(('SecretsUsedInArgOrEnv', 'all', 'UndefinedVar'))}")
        elif r < 0.22:
            self.emit("#")


def _directives(g: _Gen) -> None:
    if g.chance(0.2):
        g.emit("# syntax=docker/dockerfile:1")
    if g.chance(0.25):
        g.emit(f"# check={g.pick(CHECK_DIRECTIVES)}")
    if g.lines:
        g.emit("")  # a comment right below would be read as a directive too


def _global_args(g: _Gen) -> None:
    for _ in range(g.rng.randint(0, 3)):
        name = g.pick(("VERSION", "BASE", "TAG", "REGISTRY", "ALPINE_VERSION", "TARGETARCH"))
        g.comment_above(name)
        value = g.pick(("", "=3.20", "=alpine", '=""', "=latest"))
        g.emit(f"{g.kw('arg')} {name}{value}")
        g.meta.append(name)


def _from(g: _Gen, index: int) -> None:
    image = g.pick(IMAGES)
    if g.stages and g.chance(0.3):
        image = g.pick(tuple(g.stages))
    elif g.meta and g.chance(0.25):
        arg = g.pick(tuple(g.meta))
        image, value = g.rng.choice(
            (
                (f"alpine:${arg}", "3.20"),
                (f"${{{arg}}}", "alpine:3.20"),
                (f"busybox:${{{arg}:-1.36}}", "1.37"),
            )
        )
        g.build_args.setdefault(arg, value)  # the build gives FROM a valid name
    elif g.chance(0.05):
        image = g.pick(("alpine:3.20${UNDECLARED}", "node:${NODE_VERSON:-22}"))
    flags = ""
    if g.chance(0.25):
        flags = f"--platform={g.pick(PLATFORMS)} "
    name: str | None = None
    if g.chance(0.75):
        name = g.pick(STAGE_NAMES) if g.chance(0.5) else f"stage{index}"
        if name.lower() == image:
            name = f"stage{index}"  # `FROM x AS x` is a cycle, which BuildKit rejects
        g.comment_above(name)
    keyword = g.kw("from")
    line = f"{keyword} {flags}{image}"
    if name is not None:
        matching = "as" if keyword == "from" else "AS"
        as_kw = g.pick(("AS", "as", "As")) if g.chance(0.2) else matching
        line += f" {as_kw} {name}"
        g.stages.append(name.lower())
    g.emit(line)
    g.scope = []


def _arg(g: _Gen) -> None:
    names = [g.pick(ARG_NAMES) for _ in range(g.rng.randint(1, 2))]
    if g.meta and g.chance(0.3):
        names[0] = g.pick(tuple(g.meta))
    g.comment_above(names[0])
    parts = []
    for name in names:
        value = g.pick(VALUES)
        parts.append(f"{name}={value}" if value and g.chance(0.6) else name)
        g.scope.append(name)
    g.emit(f"{g.kw('arg')} {' '.join(parts)}")


def _env(g: _Gen) -> None:
    name = g.pick((*ARG_NAMES, "PATH", "APP_DIR", "LANG"))
    value = g.pick((g.var() + ":/usr/local/bin", "/srv/app", g.var(), '"a b"', ""))
    if g.chance(0.2) and value:
        g.emit(f"{g.kw('env')} {name} {value}")  # legacy form
    elif g.chance(0.15):
        other = g.pick(ARG_NAMES)
        g.emit(f"{g.kw('env')} {name}={value or 'x'} \\\n    {other}={g.var()}")
        g.scope.append(other)
    else:
        g.emit(f"{g.kw('env')} {name}={value}")
    g.scope.append(name)


def _copy(g: _Gen) -> None:
    command = g.pick(("copy", "copy", "add"))
    keyword = g.kw(command)
    flags = ""
    if g.chance(0.2):
        flags += f"--chmod={g.pick(('0755', '$MODE', '${MODE:-644}'))} "
    if g.chance(0.15):
        flags += f"--chown={g.pick(('app:app', '$UID', '1000'))} "
    if command == "copy" and g.stages and g.chance(0.15):
        flags += f"--from={g.pick(tuple(g.stages))} "
    sources = [g.pick(SOURCES) for _ in range(g.rng.randint(1, 2))]
    if g.chance(0.15):
        sources[0] = f"{g.var()}/"
    dest = g.pick(("/app/", ".", "/srv/", g.var()))
    if g.chance(0.1):
        g.emit(f"{keyword} {flags}{sources[0]} \\\n\n    {dest}")  # an empty continuation line
    else:
        g.emit(f"{keyword} {flags}{' '.join(sources)} {dest}")


def _run(g: _Gen) -> None:
    body = g.pick(
        (
            "apk add --no-cache curl",
            "echo $HOME && make",
            "./configure \\\n    && make \\\n  \n    && make install",
            "pip install -r requirements.txt",
        )
    )
    mount = "--mount=type=cache,target=/root/.cache " if g.chance(0.1) else ""
    if g.chance(0.08):
        mount = f"--mount=type=secret,id=npm,target={g.var()} "
    g.emit(f"{g.kw('run')} {mount}{body}")


def _workdir(g: _Gen) -> None:
    path = g.pick(("/app", "app", "src/", "/srv", "${APP_HOME:-/opt}", "$APP_HOME/data"))
    if "APP_HOME" in g.scope and g.chance(0.5):
        path = "$APP_HOME"
    g.emit(f"{g.kw('workdir')} {path}")


def _command(g: _Gen, name: str) -> None:
    if g.chance(0.5):
        g.emit(f'{g.kw(name)} ["/usr/bin/app", "--port", "8080"]')
    else:
        g.emit(f"{g.kw(name)} /usr/bin/app --port 8080")


def _expose(g: _Gen) -> None:
    ports = [
        g.pick(("80", "443/tcp", "8080/TCP", "53/udp", "5000:5000", "127.0.0.1:80:80", "9000/Udp"))
        for _ in range(g.rng.randint(1, 3))
    ]
    g.emit(f"{g.kw('expose')} {' '.join(ports)}")


def _label(g: _Gen) -> None:
    if g.chance(0.3):
        who = g.pick(("me@example.org", '"Jane Doe"'))
        g.emit(f"{g.kw('label')} maintainer {who}")
    else:
        g.emit(f'{g.kw("label")} org.opencontainers.image.version="{g.var()}"')


def _user(g: _Gen) -> None:
    g.emit(f"{g.kw('user')} {g.pick(('app', '1000:1000', g.var()))}")


def _fixed(keyword: str, rest: str) -> Callable[[_Gen], None]:
    """An instruction always written the same way but for the keyword's casing."""
    return lambda g: g.emit(f"{g.kw(keyword)} {rest}")


_healthcheck = _fixed("healthcheck", "--interval=30s CMD curl -f http://localhost/ || exit 1")
_shell = _fixed("shell", '["/bin/bash", "-o", "pipefail", "-c"]')
_maintainer = _fixed("maintainer", "Jane Doe <jane@example.org>")
_onbuild = _fixed("onbuild", "COPY . /app/")

BODY: tuple[tuple[Callable[[_Gen], None], int], ...] = (
    (_arg, 3),
    (_env, 3),
    (_copy, 4),
    (_run, 4),
    (_workdir, 2),
    (lambda g: _command(g, "cmd"), 2),
    (lambda g: _command(g, "entrypoint"), 1),
    (_healthcheck, 1),
    (_shell, 1),
    (_expose, 1),
    (_label, 2),
    (_maintainer, 1),
    (_user, 1),
    (_onbuild, 1),
)
_FUNCS = [f for f, weight in BODY for _ in range(weight)]


def generate_one(rng: random.Random) -> Inputs:
    g = _Gen(rng)
    _directives(g)
    _global_args(g)
    for index in range(rng.randint(1, 3)):
        if index:
            g.emit("")
        _from(g, index)
        for _ in range(rng.randint(1, 8)):
            if g.chance(0.08):
                skipped = g.pick(("JSONArgsRecommended", "all", "LegacyKeyValueFormat"))
                g.emit(f"# check=skip={skipped}")
            rng.choice(_FUNCS)(g)
    text = "\n".join(g.lines) + "\n"
    ignore = rng.choice(IGNORES) if rng.random() < 0.35 else None
    return Inputs(text, dockerignore=ignore, build_args=g.build_args, context_files=CONTEXT)


def generate(seed: int, count: int) -> list[Inputs]:
    rng = random.Random(seed)
    return [generate_one(rng) for _ in range(count)]


# ------------------------------------------------------------------------------ mutants
_KEYWORD = re.compile(r"^(\s*)([A-Za-z]+)", re.MULTILINE)
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _duplicate_line(rng: random.Random, text: str, other: str) -> str:
    lines = _lines(text)
    at = rng.randrange(len(lines))
    lines.insert(at, lines[at])
    return "".join(lines)


def _drop_line(rng: random.Random, text: str, other: str) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "".join(lines)


def _swap_lines(rng: random.Random, text: str, other: str) -> str:
    lines = _lines(text)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def _recase(rng: random.Random, text: str, other: str) -> str:
    found = list(_KEYWORD.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    word = m.group(2)
    new = rng.choice((word.lower(), word.upper(), word.capitalize()))
    return text[: m.start(2)] + new + text[m.end(2) :]


def _misspell(rng: random.Random, text: str, other: str) -> str:
    found = list(_VARIABLE.finditer(text))
    if not found:
        return text
    m = rng.choice(found)
    name = m.group(1)
    at = rng.randrange(len(name))
    typo = name[:at] + name[at + 1 :] if len(name) > 2 else name + "X"
    return text[: m.start(1)] + typo + text[m.end(1) :]


def _splice(rng: random.Random, text: str, other: str) -> str:
    a, b = _lines(text), _lines(other)
    return "".join(a[: rng.randint(1, len(a))] + b[rng.randint(0, len(b) - 1) :])


MUTATIONS = (_duplicate_line, _drop_line, _swap_lines, _recase, _recase, _misspell, _splice)


def mutants(seed: int, count: int) -> list[Inputs]:
    rng = random.Random(seed)
    seeds = generate(seed + 10_000, max(10, count // 4))
    out = []
    for _ in range(count):
        base = rng.choice(seeds)
        text = base.dockerfile
        for _ in range(rng.randint(1, 4)):
            text = rng.choice(MUTATIONS)(rng, text, rng.choice(seeds).dockerfile) or "\n"
        out.append(replace(base, dockerfile=text))
    return out
