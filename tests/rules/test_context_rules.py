"""The build-context rules against small temporary contexts: the cases a single fixture
context cannot show (other ignore files, none at all, no context), and the shared helper
``dflint_rules.context._context_copy``. All "secrets" written here are fake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dflint import ast, engine, model
from dflint.model.context import BuildContext
from dflint.model.ignore import parse_dockerignore
from dflint.model.mounts import mounts
from dflint.parse import parse
from dflint.registry import AnyRule
from dflint.rule import Fix
from dflint.source import SourceFile
from dflint_rules import PACK
from dflint_rules.context._context_copy import (
    broad_sources,
    context_sources,
    copy_excludes,
    copy_root,
    whole_context_sources,
)
from dflint_rules.context._context_fit import named_paths
from dflint_rules.context._installs import dependency_installs
from dflint_rules.context._starter_ignore import starter_dockerignore

RULES = {rule.name: rule for rule in PACK.rules}
FAKE_KEY = "FAKE KEY - dflint test data\n"


def make_context(
    root: Path, files: dict[str, str], dockerfile: str = "Dockerfile", **kwargs: int
) -> BuildContext:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return BuildContext.load(root, root / dockerfile, **kwargs)


def messages(rule: AnyRule, text: str, context: BuildContext | None) -> list[str]:
    prepared = [engine.PreparedRule(rule, rule.options(), rule.severity)]
    result = engine.lint_text(text, "Dockerfile", prepared, strict=True, context=context)
    return [f.message for f in result.findings]


# -- missing-dockerignore ------------------------------------------------------------------

WHOLE = "FROM alpine:3.20\nCOPY . /app/\n"


@pytest.mark.parametrize(
    ("files", "dockerfile", "fires"),
    [
        ({".git/HEAD": ""}, "Dockerfile", True),
        ({".git/HEAD": "", ".dockerignore": ""}, "Dockerfile", False),  # empty still counts
        ({".git/HEAD": "", "Dockerfile.dockerignore": ".git\n"}, "Dockerfile", False),
        ({".git/HEAD": "", "api.Dockerfile.dockerignore": ".git\n"}, "api.Dockerfile", False),
        # another Dockerfile's ignore file does not apply
        ({".git/HEAD": "", "api.Dockerfile.dockerignore": ".git\n"}, "Dockerfile", True),
        # nothing an ignore file would leave out: the advice changes nothing
        ({"a.txt": "", "src/main.go": "", "go.mod": ""}, "Dockerfile", False),
        ({"package.json": "{}"}, "Dockerfile", True),  # `node_modules` once installed
        ({"a.txt": "", ".env": "API_TOKEN=s3cr3t-value\n"}, "Dockerfile", True),
    ],
)
def test_missing_dockerignore_ignore_files(
    tmp_path: Path, files: dict[str, str], dockerfile: str, fires: bool
) -> None:
    context = make_context(tmp_path, files, dockerfile)
    assert bool(messages(RULES["missing-dockerignore"], WHOLE, context)) is fires


@pytest.mark.parametrize(
    "text",
    [
        "FROM alpine:3.20\nCOPY a.txt src/ /app/\n",
        "FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=a . /app/\n",
        "FROM alpine:3.20\nARG SRC\nCOPY $SRC /app/\n",  # unknown: may name one file
    ],
)
def test_missing_dockerignore_needs_a_whole_context_copy(tmp_path: Path, text: str) -> None:
    context = make_context(tmp_path, {"a.txt": "", "src/b.txt": ""})
    assert messages(RULES["missing-dockerignore"], text, context) == []


def test_missing_dockerignore_names_the_dockerfile_and_nested_folders(tmp_path: Path) -> None:
    files = {"svc/node_modules/x/i.js": "", "node_modules/y/i.js": "", "a.txt": ""}
    context = make_context(tmp_path, files, "api.Dockerfile")
    (message,) = messages(RULES["missing-dockerignore"], WHOLE, context)
    assert "`api.Dockerfile.dockerignore`" in message
    assert "`node_modules/`, `svc/node_modules/`:" in message


def starter_fix(text: str, context: BuildContext) -> Fix | None:
    rule = RULES["missing-dockerignore"]
    prepared = [engine.PreparedRule(rule, rule.options(), rule.severity)]
    result = engine.lint_text(text, "Dockerfile", prepared, strict=True, context=context)
    (finding,) = result.findings
    return finding.fix


def starter_lines(text: str, context: BuildContext) -> list[str]:
    """The patterns of the starter ignore file the fix would create."""
    fix = starter_fix(text, context)
    assert fix is not None
    assert not fix.safe  # it changes what the image receives
    assert fix.edits == ()  # the Dockerfile stays as it is
    (new,) = fix.creates
    assert new.path == ".dockerignore"
    return [p.text for p in parse_dockerignore(new.content).patterns]


def test_starter_dockerignore_lists_what_the_context_holds(tmp_path: Path) -> None:
    files = {
        ".git/HEAD": "",
        "app/__pycache__/m.pyc": "",
        "app/api/__pycache__/a.pyc": "",
        "node_modules/x/i.js": "",
        "node_modules/x/.env": "TOKEN=fake\n",  # left out with node_modules already
        "dist/app.js": "",
        "lib/dist/x.js": "",  # build outputs count at the top only
        ".env": "TOKEN=fake\n",
        ".env.example": "TOKEN=\n",
        "keys/id_rsa": FAKE_KEY,
        "app/main.py": "",
    }
    context = make_context(tmp_path, files)
    assert starter_lines(WHOLE, context) == [
        ".git",
        "**/__pycache__",
        "dist",
        "node_modules",
        ".env",
        "keys/id_rsa",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "COPY web/ /srv/web/\nCOPY . /app/",
        "COPY dist/app.js .env /srv/\nCOPY . /app/",
        "COPY web/node_modules/ /srv/deps/\nCOPY . /app/",
        "COPY */app.js /srv/\nCOPY . /app/",
        "ARG DEPS=node_modules\nCOPY $DEPS /srv/deps/\nCOPY . /app/",
        "RUN --mount=type=bind,source=dist,target=/d ls /d\nCOPY . /app/",
        "COPY --from=alpine:3.20 dist /srv/\nCOPY . /app/",  # not from the context
    ],
)
def test_starter_dockerignore_keeps_what_the_dockerfile_copies(tmp_path: Path, text: str) -> None:
    """With the starter file in place, every COPY/ADD source and bind mount read by name
    brings exactly what it brought before; only the copy of the whole context changes."""
    files = {
        "web/index.html": "",
        "web/node_modules/y/i.js": "",
        "node_modules/x/i.js": "",
        "dist/app.js": "",
        ".env": "TOKEN=fake\n",
        "src/a.txt": "",
    }
    dockerfile = f"FROM alpine:3.20\n{text}\n"
    before = make_context(tmp_path, files)
    fix = starter_fix(dockerfile, before)
    assert fix is not None
    (new,) = fix.creates
    m = model.build(SourceFile(dockerfile, "Dockerfile"), parse(dockerfile), context=before)
    sources = [
        s.path
        for node in m.instructions(ast.Copy)
        for s in context_sources(node, m)
        if not s.whole_context
    ]
    sources += [b.source for run in m.instructions(ast.Run) for b in mounts(run) if b.source]
    copied = {source: before.copied_files(source) for source in sources}
    (tmp_path / new.path).write_text(new.content)
    after = BuildContext.load(tmp_path, tmp_path / "Dockerfile")
    assert after.has_dockerignore
    for source in sources:
        assert after.copied_files(source) == copied[source], source
    assert messages(RULES["copy-ignored-path"], dockerfile, after) == []
    assert messages(RULES["missing-dockerignore"], dockerfile, after) == []
    # ... while the copy of the whole context loses what was listed.
    assert len(after.copied_files(".")) < len(before.copied_files("."))


def test_starter_dockerignore_keeps_the_dockerfile_and_says_what_it_kept(tmp_path: Path) -> None:
    files = {"build/app.Dockerfile": WHOLE, "build/x.o": "", "target/app.jar": "", "a.txt": ""}
    context = make_context(tmp_path, files, "build/app.Dockerfile")
    fix = starter_fix(WHOLE, context)
    assert fix is not None
    (new,) = fix.creates
    assert [p.text for p in parse_dockerignore(new.content).patterns] == ["target"]
    assert new.content.endswith(
        "# Not listed, as the Dockerfile reads them from the context by name:\n#   build\n"
    )


def test_starter_dockerignore_text(tmp_path: Path) -> None:
    context = make_context(tmp_path, {"a.txt": "", ".git/HEAD": ""})
    fix = starter_fix(WHOLE, context)
    assert fix is not None
    (new,) = fix.creates
    assert new.content.startswith("# Starter .dockerignore written by dflint (DF403")
    assert "\r" not in new.content
    assert new.content.endswith("\n")
    assert [p.text for p in parse_dockerignore(new.content).patterns] == [".git"]
    assert starter_fix(WHOLE, make_context(tmp_path, {})) == fix  # deterministic


def test_no_report_nor_starter_dockerignore_that_would_exclude_nothing(tmp_path: Path) -> None:
    context = make_context(tmp_path, {"a.txt": "", "src/main.go": "", "go.mod": ""})
    assert messages(RULES["missing-dockerignore"], WHOLE, context) == []
    assert (
        starter_dockerignore(model.build(SourceFile(WHOLE, "Dockerfile"), parse(WHOLE)), context)
        is None
    )


def test_missing_dockerignore_names_what_would_be_sent(tmp_path: Path) -> None:
    (ecosystem,) = messages(
        RULES["missing-dockerignore"],
        WHOLE,
        make_context(tmp_path / "a", {"web/package.json": "{}"}),
    )
    assert "such as `web/node_modules/`, once they have run" in ecosystem
    (several,) = messages(
        RULES["missing-dockerignore"],
        WHOLE,
        make_context(tmp_path / "c", {"a/pom.xml": "", "b/pom.xml": "", "c/pom.xml": ""}),
    )
    assert "such as `a/target/`, `b/target/` and `c/target/`, once" in several
    (secret,) = messages(
        RULES["missing-dockerignore"],
        WHOLE,
        make_context(tmp_path / "b", {".env": "API_TOKEN=s3cr3t-value\n"}),
    )
    assert "files that look like secrets (`.env`)" in secret


def test_starter_dockerignore_lists_what_the_projects_tools_create(tmp_path: Path) -> None:
    files = {
        "src/Api/Api.csproj": "",
        "src/Api/bin/Debug/x.dll": "",
        "tools/Cli.fsproj": "",
        "server/pom.xml": "",
        "crates/Cargo.toml": "",
        "crates/src/bin/tool.rs": "",  # a Rust binary's sources, not .NET output
        "web/package.json": "{}",
        "api/requirements.txt": "",
        "android/build.gradle.kts": "",
    }
    context = make_context(tmp_path, files)
    assert starter_lines(WHOLE, context) == [
        "**/__pycache__",
        "**/.gradle",
        "android/build",
        "**/.venv",
        "crates/target",
        "server/target",
        "src/Api/bin",
        "tools/bin",
        "src/Api/obj",
        "tools/obj",
        "**/node_modules",
    ]


ELSEWHERE = {
    ".git/HEAD": "",
    ".dockerignore": ".git\n",
    "package.json": "{}",
    "docker/.env": "STRIPE_SECRET_KEY=sk_live_fake\n",
    "docker/.dockerignore": "*.json\n",
}
ELSEWHERE_TEXT = "FROM node:22-slim\nCOPY package.json ./\nCOPY . .\n"


@pytest.mark.parametrize(
    "name", ["missing-dockerignore", "secret-file-in-context", "copy-ignored-path"]
)
def test_context_rules_when_the_build_runs_from_elsewhere(tmp_path: Path, name: str) -> None:
    """`package.json` is only in the folder above: the build's context is there, so
    nothing is asserted about this folder's ignore file or secrets."""
    make_context(tmp_path, ELSEWHERE)
    if name == "missing-dockerignore":
        (tmp_path / "docker/.dockerignore").unlink()
    context = BuildContext.load(tmp_path / "docker", tmp_path / "docker/Dockerfile")
    rule = RULES[name]
    prepared = [engine.PreparedRule(rule, rule.options(), rule.severity)]
    result = engine.lint_text(ELSEWHERE_TEXT, "Dockerfile", prepared, strict=True, context=context)
    said = "`package.json` is not found in the build context `docker/` but is from `..`"
    if name == "copy-ignored-path":  # would blame the ignore file: says what is wrong instead
        assert [f.message[: len(said)] for f in result.findings] == [said]
    else:
        assert result.findings == ()
        (note,) = result.notes
        assert said in note
    if name == "missing-dockerignore":  # `..` has none either: true either way, no fix
        (tmp_path / ".dockerignore").unlink(missing_ok=True)
        (finding,) = engine.lint_text(
            ELSEWHERE_TEXT, "Dockerfile", prepared, strict=True, context=context
        ).findings
        assert "nor in `..`, where the sources" in finding.message
        assert finding.fix is None
        (tmp_path / ".dockerignore").write_text(".git\n")
    # From the folder the build uses, the rules judge as usual.
    right = BuildContext.load(tmp_path, tmp_path / "docker/Dockerfile")
    fires = name == "secret-file-in-context"  # `docker/.env` is copied from there
    assert bool(messages(rule, ELSEWHERE_TEXT, right)) == fires


@pytest.mark.parametrize("kind", ["directory", "dangling link"])
def test_no_starter_dockerignore_where_something_is_in_the_way(tmp_path: Path, kind: str) -> None:
    context_dir = tmp_path / "ctx"
    context_dir.mkdir()
    if kind == "directory":
        (context_dir / ".dockerignore").mkdir()
    else:
        (context_dir / ".dockerignore").symlink_to(tmp_path / "nowhere")
    context = make_context(context_dir, {"a.txt": "", "node_modules/x/index.js": ""})
    assert not context.has_dockerignore  # the rule fires: neither is an ignore file
    assert messages(RULES["missing-dockerignore"], WHOLE, context)
    assert starter_fix(WHOLE, context) is None


@pytest.mark.parametrize(
    "name", ["missing-dockerignore", "copy-ignored-path", "secret-file-in-context"]
)
def test_silent_without_a_context(name: str) -> None:
    text = "FROM alpine:3.20\nCOPY . /app/\nCOPY .env id_rsa /app/\n"
    assert messages(RULES[name], text, None) == []


# -- copy-ignored-path ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ignore", "text", "fires"),
    [
        ("secret.txt\n", "COPY secret.txt /x/", True),
        ("*.txt\n!secret.txt\n", "COPY secret.txt /x/", False),  # re-included
        ("*.txt\n!secret.txt\n", "COPY other.txt /x/", True),  # BuildKit would skip
        ("data\n!data/keep.txt\n", "COPY data /x/", False),  # partly re-included
        ("data/*\n", "COPY data /x/", True),  # sent as an empty directory
        ("data/drop.txt\n", "COPY data /x/", False),  # partly excluded
        ("*.txt\n", "COPY *.txt /x/", True),
        ("secret.txt\n", "COPY *.txt /x/", False),  # other.txt is sent
        ("secret.txt\n", "COPY --from=alpine:3.20 secret.txt /x/", False),
        ("secret.txt\n", "ADD https://example.com/secret.txt /x/", False),
        ("secret.txt\n", "ARG F\nCOPY $F/secret.txt /x/", False),
        ("secret.txt\n", "ARG F=.\nCOPY $F/secret.txt /x/", True),
        ("# secret.txt\n", "COPY secret.txt /x/", False),  # a comment
        ("*\n!data\n", "COPY . /x/", False),  # the allow-list style
        ("**\n", "COPY . /x/", True),
        # Exceptions for build outputs made before `docker build`: they are sent then.
        ("*\n!obj/publish/*\n", "COPY . /x/", False),
        ("target/\n!target/lib/*.jar\n", "COPY target/lib/ /x/", False),
        ("target/\n!target/*.jar\n", "COPY target/classes/ /x/", False),  # BuildKit skips
        ("target/\n", "COPY target/lib/ /x/", True),  # nothing re-included: by its text
        ("data\n!data/sub\n", "COPY data/sub /x/", False),  # `!dir/sub` is sent
        ("data\n!data/sub\n", "COPY data/drop.txt /x/", True),
    ],
)
def test_copy_ignored_path(tmp_path: Path, ignore: str, text: str, fires: bool) -> None:
    files = {
        ".dockerignore": ignore,
        "secret.txt": "",
        "other.txt": "",
        "data/keep.txt": "",
        "data/drop.txt": "",
        "data/sub/a.txt": "",
    }
    context = make_context(tmp_path, files)
    found = messages(RULES["copy-ignored-path"], f"FROM alpine:3.20\n{text}\n", context)
    assert bool(found) is fires, found


def test_copy_ignored_path_per_dockerfile_ignore_file_wins(tmp_path: Path) -> None:
    files = {".dockerignore": "a.txt\n", "Dockerfile.dockerignore": "b.txt\n"}
    context = make_context(tmp_path, {**files, "a.txt": "", "b.txt": ""})
    text = "FROM alpine:3.20\nCOPY a.txt b.txt /x/\n"
    (message,) = messages(RULES["copy-ignored-path"], text, context)
    assert message.startswith("`b.txt` is excluded by `Dockerfile.dockerignore` line 1")


@pytest.mark.parametrize(("ignore", "fires"), [("*\n", True), ("*\n!a/keep\n", False)])
def test_copy_ignored_path_whole_context_in_a_huge_context(
    tmp_path: Path, ignore: str, fires: bool
) -> None:
    """Too many files to list: BuildKit's test (`*`, `**`, `**/*`; none with `!` lines)."""
    files = {".dockerignore": ignore, **{f"{i}.txt": "" for i in range(10)}}
    context = make_context(tmp_path, files, max_entries=3)
    assert context.truncated
    found = messages(RULES["copy-ignored-path"], WHOLE, context)
    assert bool(found) is fires


# -- secret-file-in-context ----------------------------------------------------------------

SECRETS = {".env": "TOKEN=fake\n", "keys/id_rsa": FAKE_KEY, "src/a.txt": ""}


@pytest.mark.parametrize(
    ("extra", "text", "fires"),
    [
        ({}, "COPY . /app/", True),
        ({".dockerignore": ".env\nkeys\n"}, "COPY . /app/", False),
        ({".dockerignore": ".env\n"}, "COPY . /app/", True),
        ({".dockerignore": "**\n!src\n"}, "COPY . /app/", False),
        # the per-Dockerfile ignore file wins over .dockerignore
        ({".dockerignore": "", "Dockerfile.dockerignore": ".env\nkeys/\n"}, "COPY . /x/", False),
        ({"Dockerfile.dockerignore": "", ".dockerignore": ".env\nkeys/\n"}, "COPY . /x/", True),
        ({}, "COPY src/ /app/", False),
        ({}, "COPY keys/ /app/", True),
        ({}, "COPY k*/ /app/", True),
        ({}, "COPY --from=alpine:3.20 . /app/", False),
        ({}, "COPY .env /app/", False),  # named on purpose: not a broad copy
        ({}, "COPY --exclude=.env --exclude=keys . /app/", False),
        ({}, "COPY --exclude=.env . /app/", True),
        ({}, "ARG X=**/id_rsa\nCOPY --exclude=.env --exclude=$X . /app/", False),
        ({}, "COPY --exclude=id_rsa keys/ /app/", False),  # relative to the directory
        ({}, "COPY --exclude=keys/id_rsa keys/ /app/", True),
        # a wildcard: relative to each match; a file it matches is copied regardless
        ({}, "COPY --exclude=id_rsa k* /app/", False),
        ({}, "COPY --exclude=keys/id_rsa k* /app/", True),
        ({}, "COPY --exclude=.env --exclude=id_rsa * /app/", True),  # `.env` is a match
        ({}, "COPY --exclude=.env --exclude=keys * /app/", True),  # so is `keys/`
        ({}, "COPY --parents --exclude=.env --exclude=keys * /app/", False),
    ],
)
def test_secret_file_in_context(
    tmp_path: Path, extra: dict[str, str], text: str, fires: bool
) -> None:
    context = make_context(tmp_path, {**SECRETS, **extra})
    found = messages(RULES["secret-file-in-context"], f"FROM alpine:3.20\n{text}\n", context)
    assert bool(found) is fires, found


def named_files(message: str) -> set[str]:
    return set(re.findall(r"`([^`]+)` \(", message))


def test_secret_file_in_context_with_excludes_and_wildcards(tmp_path: Path) -> None:
    files = {**SECRETS, "config/app.pem": FAKE_KEY, "config/tls/server.pem": FAKE_KEY}
    context = make_context(tmp_path, files)
    copies = {
        "COPY --exclude=.env --exclude=id_rsa * /app/": {
            ".env",
            "config/app.pem",
            "config/tls/server.pem",
        },
        "COPY --exclude=*.pem config/* /etc/app/": {"config/app.pem"},
        "COPY --exclude=*.pem c* /etc/app/": {"config/tls/server.pem"},
        "COPY --exclude=**/*.pem c* /etc/app/": set(),
    }
    for text, copied in copies.items():
        found = messages(RULES["secret-file-in-context"], f"FROM alpine:3.20\n{text}\n", context)
        assert [named_files(m) for m in found] == ([copied] if copied else []), text


@pytest.mark.parametrize(
    ("copy", "explained"),
    [
        ("COPY --exclude=.env * /app/", "`.env`"),  # meant for the match itself
        ("COPY --exclude=**/.env * /app/", "`.env`"),
        ("COPY --exclude=.e* --exclude=!.env * /app/", None),  # not excluded anyway
        ("COPY --exclude=id_rsa * /app/", None),  # `.env` is not what was excluded
        ("COPY * /app/", None),
        ("COPY --exclude=.env . /app/", None),  # no wildcard: `.env` is left out
    ],
)
def test_secret_file_in_context_explains_excludes_a_wildcard_ignores(
    tmp_path: Path, copy: str, explained: str | None
) -> None:
    context = make_context(tmp_path, {".env": "TOKEN=x\n", "app/main.py": ""})
    found = messages(RULES["secret-file-in-context"], f"FROM alpine:3.20\n{copy}\n", context)
    notes = [m for m in found if "does not apply to what the wildcard matches" in m]
    if explained is None:
        assert notes == []
    else:
        assert len(notes) == 1
        assert f"such as {explained}" in notes[0]


def test_secret_file_in_context_skips_symlinks(tmp_path: Path) -> None:
    context = make_context(tmp_path, {"a.txt": ""})
    (tmp_path / "id_rsa").symlink_to("/nonexistent/id_rsa")
    assert messages(RULES["secret-file-in-context"], WHOLE, context) == []


# -- _context_copy ---------------------------------------------------------------------------


def copy_of(text: str, context: BuildContext | None = None) -> tuple[model.Model, ast.Copy]:
    source = f"FROM alpine:3.20 AS base\nARG DOT=. SUB=src UNSET\n{text}\n"
    m = model.build(SourceFile(source, "Dockerfile"), parse(source), context=context)
    return m, next(m.instructions(ast.Copy))


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("COPY . /x/", ["."]),
        ("COPY ./ /x/", ["./"]),
        ("COPY / /x/", ["/"]),
        ("COPY ./. src/.. /x/", ["./.", "src/.."]),
        ("COPY * ./* ** /x/", ["*", "./*", "**"]),
        ("COPY $DOT ${DOT}/ /x/", ["$DOT", "${DOT}/"]),
        ('COPY ["./", "/x/"]', ['"./"']),
        ("ADD . /x/", ["."]),
        ("COPY src/ *.txt ./a/* /x/", []),
        ("COPY $UNSET /x/", []),
        ("COPY --from=base . /x/", []),
        ("COPY --FROM=base . /x/", []),
        ("ADD https://example.com/. git@github.com:a/b.git /x/", []),
        ("COPY .", []),  # no destination: `.` is the destination
    ],
)
def test_whole_context_sources(text: str, whole: list[str]) -> None:
    m, node = copy_of(text)
    assert [w.text for w in whole_context_sources(node, m)] == whole


def test_context_sources_clean_paths_and_skip_heredocs() -> None:
    m, node = copy_of("COPY <<EOF ./a/../b /c $SUB/ /x/\nbody\nEOF")
    assert [(s.word.text, s.path) for s in context_sources(node, m)] == [
        ("./a/../b", "b"),
        ("/c", "c"),
        ("$SUB/", "src"),
    ]


def test_broad_sources_without_a_context() -> None:
    m, node = copy_of("COPY . src/ $SUB/ src lib/*.py/ a.txt /x/")
    assert [s.word.text for s in broad_sources(node, m)] == [".", "src/", "$SUB/"]


def test_broad_sources_with_a_context(tmp_path: Path) -> None:
    context = make_context(tmp_path, {"src/a.txt": "", "lib/b/c.txt": "", "a.txt": ""})
    m, node = copy_of("COPY * src lib/* a.txt missing/ /x/", context)
    assert [s.word.text for s in broad_sources(node, m)] == ["*", "src", "lib/*"]


# -- COPY --exclude ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "path", "root"),
    [
        (".", "a/b", "."),
        ("conf", "conf", "conf"),
        ("conf", "conf/a/b", "conf"),
        ("conf", "config/a", None),
        ("*", ".env", ".env"),
        ("*", "app/src/main.py", "app"),
        ("config/*", "config/tls/a.pem", "config/tls"),
        ("config/*", "other/a.pem", None),
        ("*/*.pem", "a/b.pem", "a/b.pem"),
        ("*/*.pem", "a/b.pem/c", "a/b.pem"),  # a matched directory is not looked into
        ("*.pem", "a/b.pem", None),  # `*` stays within one path component
        ("a[", "a[/b", None),  # a bad pattern matches nothing
    ],
)
def test_copy_root(source: str, path: str, root: str | None) -> None:
    assert copy_root(source, path) == root


EXCLUDE_CASES = [
    # `.`: relative to the context root
    ("COPY --exclude=.env . /x/", ".env", True),
    ("COPY --exclude=.env . /x/", "app/.env", False),
    ("COPY --exclude=**/.env . /x/", "app/.env", True),
    # a directory: relative to it
    ("COPY --exclude=*.pem config /x/", "config/a.pem", True),
    ("COPY --exclude=*.pem ./config/ /x/", "config/tls/a.pem", False),
    ("COPY --exclude=config/*.pem config /x/", "config/a.pem", False),
    # a file named as the source is never judged
    ("COPY --exclude=a.pem --exclude=** config/a.pem /x/", "config/a.pem", False),
    # a wildcard: each match on its own, relative to it; a matched file itself is copied
    ("COPY --exclude=.env * /x/", ".env", False),
    ("COPY --exclude=.env * /x/", "app/.env", True),
    ("COPY --exclude=*.pem config/* /etc/app/", "config/a.pem", False),
    ("COPY --exclude=*.pem config/* /etc/app/", "config/tls/a.pem", True),
    ("COPY --exclude=*.pem config/* /etc/app/", "config/tls/old/a.pem", False),
    ("COPY --exclude=**/*.pem config/* /etc/app/", "config/tls/old/a.pem", True),
    ("COPY --exclude=tls config/* /etc/app/", "config/tls/a.pem", False),  # the match
    ("COPY --exclude=old config/* /etc/app/", "config/tls/old/a.pem", True),  # inside it
    # `!` exceptions: the last pattern that matches decides
    ("COPY --exclude=*.pem --exclude=!ca.pem conf/ /x/", "conf/ca.pem", False),
    ("COPY --exclude=*.pem --exclude=!ca.pem conf/ /x/", "conf/key.pem", True),
    ("COPY --exclude=!ca.pem --exclude=*.pem conf/ /x/", "conf/ca.pem", True),
    ("COPY --exclude=keys --exclude=!keys/ca.pem . /x/", "keys/ca.pem", False),
    ("COPY --exclude=keys --exclude=!keys/ca.pem . /x/", "keys/id_rsa", True),
    ("COPY --exclude=keys --exclude=!keys/ca.pem * /x/", "keys/ca.pem", False),
    # directories are judged from the top, each passing its result down: `!a` was not
    # tried for `a` (nothing excluded it yet), so it cannot re-include `a/b/c`
    ("COPY --exclude=a/b --exclude=!a . /x/", "a/b/c", True),
    # ARGs are expanded; a value that cannot be resolved excludes nothing
    ("ARG P=*.pem\nCOPY --exclude=$P conf/ /x/", "conf/a.pem", True),
    ("COPY --exclude=$UNSET conf/ /x/", "conf/a.pem", False),
    # the values are not an ignore file: a leading `/` stays, `#` starts no comment
    ("COPY --exclude=/.env . /x/", ".env", False),
    ("COPY --exclude=./.env . /x/", ".env", True),
    ("COPY --exclude=#notes . /x/", "#notes", True),
    # --parents: relative to the pivot (the context, or what precedes `/./`)
    ("COPY --parents --exclude=.env * /x/", ".env", True),
    ("COPY --parents --exclude=*.pem config /x/", "config/a.pem", False),
    ("COPY --parents --exclude=config/*.pem config /x/", "config/a.pem", True),
    ("COPY --parents --exclude=tls/*.pem ./config/./tls /x/", "config/tls/a.pem", True),
    ("COPY --parents=false --exclude=*.pem config /x/", "config/a.pem", True),
]


@pytest.mark.parametrize(("text", "path", "excluded"), EXCLUDE_CASES)
def test_copy_excludes(text: str, path: str, excluded: bool) -> None:
    m, node = copy_of(text)
    excludes = copy_excludes(node, m)
    assert [excludes.excludes(source, path) for source in context_sources(node, m)] == [excluded]


# -- context-copy-before-install: the manifests-first fix ----------------------------------

NODE_FILES = {"package.json": "{}", "package-lock.json": "{}", "src/app.js": ""}


def _fix_once(text: str, context: BuildContext | None) -> tuple[str, list[bool]]:
    """``text`` with the rule's fixes applied once, and whether each fix was safe."""
    from tests.rules.test_fixes import _apply

    rule = RULES["context-copy-before-install"]
    prepared = [engine.PreparedRule(rule, rule.options(), rule.severity)]
    found = engine.lint_text(text, "Dockerfile", prepared, strict=True, context=context)
    fixes = [f.fix for f in found.findings if f.fix is not None]
    return _apply(text, list(found.findings), unsafe=True), [f.safe for f in fixes]


@pytest.mark.parametrize(
    ("files", "before", "after"),
    [
        (
            NODE_FILES,
            "FROM node:22-slim\nWORKDIR /app\nCOPY --chown=node:node . .\nENV CI=1\n"
            "RUN npm ci --omit=dev\nRUN npm run build\n",
            "FROM node:22-slim\nWORKDIR /app\nCOPY --chown=node:node package.json "
            "package-lock.json ./\nENV CI=1\nRUN npm ci --omit=dev\n"
            "COPY --chown=node:node . .\nRUN npm run build\n",
        ),
        (  # only the manifests that exist; continuation lines move as written
            {"package.json": "{}", "index.js": ""},
            "FROM node:22-slim\nWORKDIR /app\n  copy \\\n    ./ ./\nRUN yarn install\n",
            "FROM node:22-slim\nWORKDIR /app\n  copy package.json ./\nRUN yarn install\n"
            "  copy \\\n    ./ ./\n",
        ),
        (  # files in folders: one COPY per folder; `-r` includes followed
            {"req/prod.txt": "-r base.txt\n", "req/base.txt": "flask\n", "app.py": ""},
            "FROM python:3\nCOPY . .\nRUN pip install -r req/prod.txt\n",
            "FROM python:3\nCOPY req/prod.txt req/base.txt req/\n"
            "RUN pip install -r req/prod.txt\nCOPY . .\n",
        ),
        (  # CRLF line ends and no newline at the end of the file
            {"requirements.txt": "flask\n", "app.py": ""},
            "FROM python:3.12\r\nWORKDIR /app\r\nCOPY . .\r\nRUN pip install -r requirements.txt",
            "FROM python:3.12\r\nWORKDIR /app\r\nCOPY requirements.txt ./\r\n"
            "RUN pip install -r requirements.txt\r\nCOPY . .\r\n",
        ),
    ],
)
def test_manifests_first_fix(
    tmp_path: Path, files: dict[str, str], before: str, after: str
) -> None:
    context = make_context(tmp_path, files)
    fixed, safety = _fix_once(before, context)
    assert fixed == after
    assert safety == [False]  # an install may run the project's own scripts
    assert _fix_once(fixed, context) == (fixed, [])  # nothing left to fix: idempotent
    assert not parse(fixed).errors


@pytest.mark.parametrize(
    ("files", "text"),
    [
        (NODE_FILES, "FROM node:22\nCOPY . .\nRUN npm ci && npm run build\n"),  # needs sources
        (NODE_FILES, "FROM node:22\nCOPY . /src\nRUN npm ci\n"),  # not the working dir
        (NODE_FILES, "FROM node:22\nCOPY . .\nWORKDIR /app\nRUN npm ci\n"),  # moves the copy
        (NODE_FILES, "FROM node:22\nCOPY . .\nRUN make\nRUN npm ci\n"),  # RUN in between
        (NODE_FILES, 'FROM node:22\nCOPY [".", "."]\nRUN npm ci\n'),
        (NODE_FILES, "FROM node:22\nCOPY --exclude=*.md . .\nRUN npm ci\n"),
        (NODE_FILES, "FROM node:22\nADD . .\nRUN npm ci\n"),
        (NODE_FILES, "FROM node:22\nCOPY src/ .\nRUN npm ci\n"),  # a folder, not the context
        (NODE_FILES, "FROM node:22\nCOPY . .\nRUN <<EOF\nnpm ci\nEOF\n"),
        (NODE_FILES, "FROM node:22\nCOPY . .\nCOPY . .\nRUN npm ci\n"),  # two copies
        ({"yarn.lock": "", "a.js": ""}, "FROM node:22\nCOPY . .\nRUN yarn install\n"),
        (
            {**NODE_FILES, ".dockerignore": "package.json\n"},
            "FROM node:22\nCOPY . .\nRUN npm ci\n",
        ),
        (
            {"pyproject.toml": "", "poetry.lock": ""},
            "FROM python:3\nCOPY . .\nRUN poetry install\n",
        ),
        (  # local path requirement: the install reads the folder too
            {"requirements.txt": "-e ./lib\n", "lib/setup.py": ""},
            "FROM python:3\nCOPY . .\nRUN pip install -r requirements.txt\n",
        ),
        (  # an install script may read any source file
            {"package.json": '{"scripts": {"postinstall": "node x.js"}}', "x.js": ""},
            "FROM node:22\nCOPY . .\nRUN npm install\n",
        ),
        (  # a local package
            {"package.json": '{"dependencies": {"a": "file:./a"}}', "a/package.json": "{}"},
            "FROM node:22\nCOPY . .\nRUN npm install\n",
        ),
        ({"Gemfile": "gemspec\n", "a.gemspec": ""}, "FROM ruby:3\nCOPY . .\nRUN bundle install\n"),
        (
            {"go.mod": "module a\nreplace b => ./b\n", "b/go.mod": ""},
            "FROM golang:1\nCOPY . .\nRUN go mod download\n",
        ),
    ],
)
def test_manifests_first_fix_only_when_plain(
    tmp_path: Path, files: dict[str, str], text: str
) -> None:
    context = make_context(tmp_path, files)
    rule = RULES["context-copy-before-install"]
    assert messages(rule, text, context), "the rule still reports it"
    assert _fix_once(text, context) == (text, [])


@pytest.mark.parametrize(
    ("command", "tool"),
    [
        ("npm ci", "npm ci"),
        ("npm install --registry https://r.example", "npm install"),
        ("npm install left-pad", None),
        ("npm run build", None),
        ("yarn", "yarn install"),
        ("yarn --frozen-lockfile --network-timeout 600000", "yarn install"),
        ("yarn build", None),
        ("pnpm -r build", None),
        ("pnpm --filter web build", None),
        ("pnpm install --frozen-lockfile", "pnpm install"),
        ("pnpm fetch", "pnpm fetch"),
        ("pip install -r requirements.txt gunicorn", "pip install -r requirements.txt"),
        ("pip install .", "pip install ."),
        ("pip install --no-deps .", None),
        ("pip install flask", None),
        ("python3 -m pip install -e .[dev]", "pip install .[dev]"),
        ("poetry install --no-root", "poetry install"),
        ("cargo build --release", None),
        ("cargo fetch", "cargo fetch"),
        ("go build ./...", None),
        ("go mod download", "go mod download"),
        ("mvn -B package", None),
        ("mvn dependency:go-offline", "mvn dependency:go-offline"),
        ("./gradlew build --no-daemon", None),
        ("dotnet publish -o /app", None),
        ("dotnet restore app/app.csproj", "dotnet restore"),
    ],
)
def test_dependency_install_or_build(command: str, tool: str | None) -> None:
    m = engine.build(f"FROM scratch\nRUN {command}\n")
    run = next(m.instructions(ast.Run))
    installs = dependency_installs(m.script(run))
    assert [i.tool for i in installs] == ([tool] if tool else [])


def test_manifests_first_fix_needs_the_context() -> None:
    text = "FROM node:22\nCOPY . .\nRUN npm ci\n"
    assert _fix_once(text, None) == (text, [])


@pytest.mark.parametrize(
    ("text", "paths"),
    [
        ("COPY a.txt src/ /x/\nCOPY . /app/", ["a.txt", "src"]),
        # After a copy of the whole context, where the Dockerfile works and what it runs.
        ("WORKDIR /app\nCOPY . .\nWORKDIR src/Api\nRUN dotnet restore", ["src/Api"]),
        ("COPY . /w\nWORKDIR /w\nRUN ./gradlew build && ./x/y.sh", ["gradlew", "x/y.sh"]),
        ("COPY . /w\nWORKDIR /elsewhere\nRUN ./gradlew build", []),
        ("WORKDIR /w\nRUN ./gradlew build\nCOPY . .", []),  # before the copy
        ("COPY --from=builder . /w\nWORKDIR /w/src", []),  # not the context
    ],
)
def test_named_paths(text: str, paths: list[str]) -> None:
    dockerfile = f"FROM alpine:3.20\n{text}\n"
    m = model.build(SourceFile(dockerfile, "Dockerfile"), parse(dockerfile))
    assert [n.path for n in named_paths(m)] == paths


def test_context_rules_see_paths_named_after_a_whole_context_copy(tmp_path: Path) -> None:
    """Only `COPY .` and `WORKDIR src/Api` name the context: `src/Api` is at the root."""
    make_context(tmp_path, {".git/HEAD": "", ".dockerignore": ".git\n", "src/Api/a.cs": ""})
    context = BuildContext.load(tmp_path / "src/Api", tmp_path / "src/Api/Dockerfile")
    text = "FROM alpine:3.20\nWORKDIR /app\nCOPY . .\nWORKDIR /app/src/Api\n"
    assert messages(RULES["missing-dockerignore"], text, context) == []
    right = BuildContext.load(tmp_path, tmp_path / "src/Api/Dockerfile")
    assert messages(RULES["missing-dockerignore"], text, right) == []  # it has one


def test_install_manifests_missing_from_the_context_in_use(tmp_path: Path) -> None:
    """The install reads `package.json`, which this folder lacks: the build runs from
    another folder; the order is still wrong there, and the message says what it assumed."""
    context = make_context(tmp_path / "dev", {"entrypoint.sh": ""})
    text = "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm install\n"
    rule = RULES["context-copy-before-install"]
    (message,) = messages(rule, text, context)
    assert "(not found in the build context `dev/`: the build probably runs from" in message
    prepared = [engine.PreparedRule(rule, rule.options(), rule.severity)]
    (finding,) = engine.lint_text(text, "Dockerfile", prepared, context=context).findings
    assert finding.fix is None
    present = make_context(tmp_path / "app", {"package.json": "{}"})
    (message,) = messages(rule, text, present)
    assert "not found" not in message


def test_composer_install_from_the_manifests_alone_needs_flags(tmp_path: Path) -> None:
    """A `composer.json` with scripts or an autoloader over the project's folders: the
    advice says how to install from the manifests alone, and no fix moves the copy."""
    text = "FROM php:8.3-cli\nWORKDIR /app\nCOPY . .\nRUN composer install\n"
    rule = RULES["context-copy-before-install"]
    scripts = '{"autoload": {"psr-4": {"App\\\\": "src/"}}, "scripts": {"post-autoload-dump": "x"}}'
    context = make_context(tmp_path / "a", {"composer.json": scripts, "composer.lock": "{}"})
    (message,) = messages(rule, text, context)
    assert "`--no-scripts --no-autoloader`" in message
    prepared = [engine.PreparedRule(rule, rule.options(), rule.severity)]
    (finding,) = engine.lint_text(text, "Dockerfile", prepared, context=context).findings
    assert finding.fix is None
    plain = make_context(
        tmp_path / "b", {"composer.json": '{"require": {}}', "composer.lock": "{}"}
    )
    (message,) = messages(rule, text, plain)
    assert "--no-scripts" not in message
