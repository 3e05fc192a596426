"""Build context: .dockerignore semantics, listing, COPY sources, bounded reads, secrets."""

from __future__ import annotations

import dataclasses
import os
import random
from pathlib import Path

import pytest

from dflint.model.context import BuildContext, ContextCache
from dflint.model.ignore import (
    IgnoreError,
    IgnoreRules,
    _compile_moby,
    clean_source,
    find_ignore_file,
    go_clean,
    go_glob_regex,
    has_wildcards,
    literal_pattern,
    parse_dockerignore,
    parse_patterns,
)
from dflint.model.secret_files import SecretFile

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def make_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def ignoring(text: str) -> BuildContext:
    """A context whose ignore file is ``text``; ``is_ignored`` never touches the disk."""
    return BuildContext(Path("/nonexistent"), None, None, parse_dockerignore(text))


# --- path cleaning -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("", "."),
        (".", "."),
        ("./a", "a"),
        ("a/", "a"),
        ("a//b", "a/b"),
        ("a/./b", "a/b"),
        ("a/../b", "b"),
        ("a/b/../..", "."),
        ("../a", "../a"),
        ("a/../../b", "../b"),
        ("/", "/"),
        ("//a", "/a"),
        ("/../a", "/a"),
        ("/a/b/", "/a/b"),
    ],
)
def test_go_clean(path: str, expected: str) -> None:
    assert go_clean(path) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [(".", "."), ("./", "."), ("/", "."), ("src/", "src"), ("/app/x", "app/x"), ("../x", "x")],
)
def test_clean_source(source: str, expected: str) -> None:
    assert clean_source(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [("a*", True), ("a?", True), ("[ab]", True), ("a", False), (r"a\*", False), (r"a\\*", True)],
)
def test_has_wildcards(source: str, expected: bool) -> None:
    assert has_wildcards(source) is expected


# --- reading the ignore file ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "pattern"),
    [
        ("foo", "foo"),
        ("./foo", "foo"),
        ("foo/", "foo"),
        ("/foo", "foo"),
        ("//foo//bar//", "foo/bar"),
        ("a/./b/../c", "a/c"),
        ("  padded\t", "padded"),
        ("!foo", "!foo"),
        ("! foo", "!foo"),
        ("!/foo/", "!foo"),
        ("!./foo", "!foo"),
        (" # not a comment", "# not a comment"),  # `#` counts only in column 1
        ("/", "/"),  # Docker keeps it; it matches nothing
        (".", "."),  # "for historical reasons, the pattern . is ignored"
        ("../up", "../up"),
    ],
)
def test_pattern_cleaning(line: str, pattern: str) -> None:
    rules = parse_dockerignore(line + "\n")
    assert rules.errors == ()
    assert [p.text for p in rules.patterns] == [pattern]


def test_comments_blank_lines_and_line_numbers() -> None:
    rules = parse_dockerignore("# comment\n\n   \nnode_modules\n#*.md\n!keep\n")
    assert [(p.line, p.pattern, p.exclusion) for p in rules.patterns] == [
        (4, "node_modules", False),
        (6, "keep", True),
    ]


def test_crlf_ignore_file() -> None:
    rules = parse_dockerignore("# c\r\n*.log\r\n!keep.log\r\n\r\nbuild/\r\n")
    assert [p.text for p in rules.patterns] == ["*.log", "!keep.log", "build"]
    assert [p.line for p in rules.patterns] == [2, 3, 5]


def test_bom_is_stripped_from_the_first_line_only() -> None:
    rules = parse_dockerignore("\ufeff# comment\n\ufeffx\n")
    assert [p.pattern for p in rules.patterns] == ["\ufeffx"]
    assert [p.pattern for p in parse_dockerignore("\ufeffsecret.txt").patterns] == ["secret.txt"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("!", 'illegal exclusion pattern "!"'),
        ("! ", 'illegal exclusion pattern "!"'),
        ("!/", 'illegal exclusion pattern "!"'),  # cleaned twice, as patternmatcher does
        ("[a", "unterminated character class"),
        ("[]", "malformed character class"),
        ("[a-]", "malformed character class"),
        ("[^]", "malformed character class"),
        ("foo\\", "trailing backslash"),
        ("[z-a]", "out of order"),
        ("*.txt[", "unterminated character class"),
    ],
)
def test_invalid_lines_are_reported_with_their_line(line: str, message: str) -> None:
    rules = parse_dockerignore(f"# header\nok\n{line}\nalso-ok\n")
    assert [p.pattern for p in rules.patterns] == ["ok", "also-ok"]
    assert len(rules.errors) == 1
    assert rules.errors[0].line == 3
    assert message in rules.errors[0].message


def test_overlong_line_stops_reading() -> None:
    rules = parse_dockerignore("a\n" + "x" * 70_000 + "\nb\n")
    assert [p.pattern for p in rules.patterns] == ["a"]
    assert rules.errors == (IgnoreError(2, "line too long (Docker's limit is 64 KiB)"),)


# --- COPY --exclude values: patternmatcher.New without the ignore-file reading -----------


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("*.pem", "*.pem"),
        ("./conf/", "conf"),
        ("a/./b/../c", "a/c"),
        ("  padded\t", "padded"),
        ("/.env", "/.env"),  # kept, unlike in an ignore file: it matches no relative path
        ("#notes", "#notes"),  # not a comment
        ("!keep", "!keep"),
        ("!./keep", "!./keep"),  # cleaned once, with the `!` still in front
        ("! keep", "! keep"),
    ],
)
def test_exclude_pattern_cleaning(value: str, pattern: str) -> None:
    rules = parse_patterns([value])
    assert rules.errors == ()
    assert [p.text for p in rules.patterns] == [pattern]


def test_exclude_patterns_skip_blanks_and_report_errors_by_position() -> None:
    rules = parse_patterns(["a", "  ", "!", "[a", "!b"])
    assert [(p.line, p.pattern, p.exclusion) for p in rules.patterns] == [
        (1, "a", False),
        (5, "b", True),
    ]
    assert [e.line for e in rules.errors] == [3, 4]
    assert 'illegal exclusion pattern "!"' in rules.errors[0].message


# --- matching -----------------------------------------------------------------------

MATCH_CASES = [
    # Docker's documented example
    ("*/temp*", "somedir/temporary.txt", True),
    ("*/temp*", "somedir/temp", True),
    ("*/temp*", "somedir/temp/inner.txt", True),
    ("*/temp*", "temp", False),
    ("*/temp*", "a/b/temp", False),
    ("*/*/temp*", "somedir/subdir/temporary.txt", True),
    ("*/*/temp*", "somedir/temporary.txt", False),
    ("temp?", "tempa", True),
    ("temp?", "tempb/file", True),
    ("temp?", "temp", False),
    ("temp?", "tempab", False),
    ("temp?", "dir/tempa", False),
    ("**/*.go", "main.go", True),
    ("**/*.go", "cmd/app/main.go", True),
    ("**/*.go", "main.golang", False),
    ("*.md\n!README.md", "README.md", False),
    ("*.md\n!README.md", "CHANGES.md", True),
    ("*.md\n!README.md", "docs/guide.md", False),  # `*` does not cross `/`
    ("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", True),
    ("*.md\n!README*.md\nREADME-secret.md", "README.md", False),
    ("*.md\nREADME-secret.md\n!README*.md", "README-secret.md", False),
    # /foo/bar and foo/bar exclude exactly foo/bar
    ("/foo/bar", "foo/bar", True),
    ("foo/bar", "foo/bar/baz", True),
    ("foo/bar", "x/foo/bar", False),
    ("foo/bar", "bar", False),
    ("./a", "a", True),
    ("a/", "a/b/c", True),
    ("a/../b", "b", True),
    ("../a", "a", False),
    (".", "a", False),
    ("/", "a", False),
    # a directory pattern covers everything below it; `!` re-includes below it
    ("dir\n!dir/keep.txt", "dir", True),
    ("dir\n!dir/keep.txt", "dir/keep.txt", False),
    ("dir\n!dir/keep.txt", "dir/other.txt", True),
    ("dir\n!dir/sub\ndir/sub/deep", "dir/sub/x", False),
    ("dir\n!dir/sub\ndir/sub/deep", "dir/sub/deep/y", True),
    ("*\n!src", "src/app/main.py", False),
    ("*\n!src", "README", True),
    ("*\n!src/*.py", "src/main.py", False),
    ("*\n!src/*.py", "src/data.txt", True),
    ("*.txt\n!important.txt\n*.txt", "important.txt", True),
    ("node_modules\n!**/keep", "node_modules/a/keep", False),
    # BuildKit matches with parent results (fsutil): the last `dir` is not re-checked
    # against `dir/sub`'s ancestors once the parent's result is known.
    ("dir\n!dir/sub\ndir", "dir/sub/x", False),
    # `**`
    ("**", "anything/at/all", True),
    ("**/", "a", True),
    ("a/**", "a/b", True),
    ("a/**", "a/b/c", True),
    ("a/**", "a", False),
    ("a/**", "ab", False),
    ("a/**/b", "a/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("a/**/b", "a/xb", False),
    ("**/node_modules", "node_modules/x", True),
    ("**/node_modules", "web/node_modules/y", True),
    ("**/node_modules", "node_modulesx", False),
    ("**foo", "barfoo", True),  # moby's suffix match
    ("**/.git", "sub/.git/HEAD", True),
    ("**/a.b", "x/axb", False),
    ("a**", "abc/d", True),  # moby's prefix match
    ("node_modules", "web/node_modules", False),
    ("**/*.log\n!**/keep.log", "a/b/keep.log", False),
    ("**/*.log\n!**/keep.log", "a/b/other.log", True),
    # `*`, `?`, classes and escapes as Go's filepath.Match
    ("*", "a/b", True),
    ("*.py", ".hidden.py", True),
    ("[abc].txt", "b.txt", True),
    ("[abc].txt", "d.txt", False),
    ("[a-c]x", "bx", True),
    ("[^a]x", "bx", True),
    ("[^a]x", "ax", False),
    ("[!a]x", "!x", True),  # Go negates with `^` only; `!` is a member
    ("[!a]x", "bx", False),
    ("[\\]]", "]", True),
    ("[*]", "*", True),
    ("[*]", "a", False),
    ("\\*.txt", "*.txt", True),
    ("\\*.txt", "a.txt", False),
    ("foo\\?", "foo?", True),
    ("foo\\?", "fooa", False),
    ("a.b", "axb", False),  # `.` is literal
    ("a+(b)", "a+(b)", True),
    ("file{1,2}", "file1", False),  # no brace expansion
    ("caf\u00e9?", "caf\u00e9s", True),
    (" # not a comment", "# not a comment", True),
    ("#comment", "#comment", False),
    ("  spaced  ", "spaced", True),
    ("!\nsecret", "secret", True),  # the invalid line is skipped, the rest applies
]


@pytest.mark.parametrize(("ignore", "path", "expected"), MATCH_CASES)
def test_is_ignored(ignore: str, path: str, expected: bool) -> None:
    assert ignoring(ignore).is_ignored(path) is expected


@pytest.mark.parametrize("path", ["", ".", "/", "..", "../x", "a/../../x"])
def test_paths_outside_or_root_are_never_ignored(path: str) -> None:
    assert ignoring("*\n**").is_ignored(path) is False


def test_query_paths_are_cleaned() -> None:
    context = ignoring("build\n")
    assert context.is_ignored("./build/out") is True
    assert context.is_ignored("/build/") is True


def test_matching_pattern_names_the_deciding_line() -> None:
    context = ignoring("# header\n*.md\n!README*.md\nREADME-secret.md\n")
    decided = context.matching_pattern("README.md")
    assert decided is not None
    assert (decided.line, decided.text, decided.exclusion) == (3, "!README*.md", True)
    decided = context.matching_pattern("README-secret.md")
    assert decided is not None
    assert (decided.line, decided.text) == (4, "README-secret.md")
    assert context.matching_pattern("main.go") is None


def test_matching_pattern_of_an_entry_below_an_excluded_directory() -> None:
    decided = ignoring("*.md\nbuild/\n").matching_pattern("build/out/app.bin")
    assert decided is not None
    assert (decided.line, decided.pattern) == (2, "build")


def test_no_ignore_file() -> None:
    context = ignoring("")
    assert context.is_ignored("anything") is False
    assert context.matching_pattern("anything") is None


def test_evaluate_without_parent_tries_every_ancestor() -> None:
    rules = parse_dockerignore("dir\n!dir/sub\ndir\n")
    info = rules.evaluate("dir/sub/x", None)  # MatchesOrParentMatches, the classic builder
    assert info.decider == 2


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (".git", ".git"),
        ("web/node_modules", "web/node_modules"),
        ("a*b?/[x]", "a\\*b\\?/\\[x]"),
        ("back\\slash", "back\\\\slash"),
        ("caret^x", "caret\\^x"),  # unescaped, moby's regexp reads `^` as an anchor
        ("#notes", "\\#notes"),  # not a comment
        ("!important", "\\!important"),  # not an exception
        ("a/#b", "a/#b"),  # `#` starts a comment in column 1 only
        ("café €.env", "café €.env"),
        (" lead", None),  # Docker trims the line
        ("trail ", None),
        ("line\nbreak", None),
    ],
)
def test_literal_pattern(path: str, line: str | None) -> None:
    assert literal_pattern(path) == line
    if line is not None:
        rules = parse_dockerignore(f"{line}\n")
        for excluded, expected in [(path, True), (f"{path}/below", True), (f"{path}x", False)]:
            info = rules.evaluate(excluded, None)
            assert (info.decider is not None) is expected, excluded


# --- finding the ignore file --------------------------------------------------------


def test_dockerfile_specific_ignore_file_wins(tmp_path: Path) -> None:
    make_tree(tmp_path, {".dockerignore": "a\n", "api.Dockerfile.dockerignore": "b\n"})
    assert find_ignore_file(tmp_path, tmp_path / "api.Dockerfile") == (
        tmp_path / "api.Dockerfile.dockerignore"
    )
    assert find_ignore_file(tmp_path, tmp_path / "web.Dockerfile") == tmp_path / ".dockerignore"
    context = BuildContext.load(tmp_path, tmp_path / "api.Dockerfile")
    assert context.is_ignored("b")
    assert not context.is_ignored("a")


def test_dockerfile_specific_ignore_file_next_to_a_dockerfile_elsewhere(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            ".dockerignore": "root-rule\n",
            "docker/Dockerfile.dev": "FROM a\n",
            "docker/Dockerfile.dev.dockerignore": "dev-rule\n",
        },
    )
    context = BuildContext.load(tmp_path, tmp_path / "docker" / "Dockerfile.dev")
    assert context.ignore_file == tmp_path / "docker" / "Dockerfile.dev.dockerignore"
    assert [p.pattern for p in context.patterns] == ["dev-rule"]
    # the specific file must sit next to the Dockerfile, not at the context root
    make_tree(tmp_path, {"Dockerfile.prod.dockerignore": "x\n"})
    other = BuildContext.load(tmp_path, tmp_path / "docker" / "Dockerfile.prod")
    assert other.ignore_file == tmp_path / ".dockerignore"


def test_default_dockerfile_name(tmp_path: Path) -> None:
    make_tree(tmp_path, {".dockerignore": "a\n", "Dockerfile.dockerignore": "b\n"})
    assert BuildContext.load(tmp_path).ignore_file == tmp_path / "Dockerfile.dockerignore"
    assert BuildContext.load(tmp_path, tmp_path / "Dockerfile").has_dockerignore


def test_ignore_file_bytes_with_bom_and_crlf(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").write_bytes(b"\xef\xbb\xbf*.log\r\n!keep.log\r\n")
    make_tree(tmp_path, {"a.log": "", "keep.log": "", "b.txt": ""})
    context = BuildContext.load(tmp_path)
    assert [(p.line, p.text) for p in context.patterns] == [(1, "*.log"), (2, "!keep.log")]
    assert context.included_files() == (".dockerignore", "b.txt", "keep.log")


def test_no_ignore_file_and_directory_named_dockerignore(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").mkdir()
    context = BuildContext.load(tmp_path, tmp_path / "Dockerfile")
    assert context.has_dockerignore is False
    assert context.ignore_file is None
    assert context.patterns == ()


def test_symlinked_ignore_file_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.write_text("*\n")
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / ".dockerignore").symlink_to(outside)
    assert BuildContext.load(ctx).has_dockerignore is False


def test_ignore_file_linked_to_a_file_in_the_context_is_read(tmp_path: Path) -> None:
    """`.dockerignore -> .gitignore`: the builder follows a link inside the context."""
    (tmp_path / ".gitignore").write_text("node_modules\n")
    (tmp_path / ".dockerignore").symlink_to(".gitignore")
    (tmp_path / "node_modules" / "x").mkdir(parents=True)
    context = BuildContext.load(tmp_path)
    assert context.has_dockerignore
    assert [p.pattern for p in context.patterns] == ["node_modules"]
    assert context.is_ignored("node_modules/x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".dockerignore").symlink_to("../.gitignore")  # out of `sub/`
    assert BuildContext.load(tmp_path / "sub").has_dockerignore is False


@pytest.mark.skipif(AS_ROOT, reason="root reads files regardless of their mode")
def test_unreadable_ignore_file_is_an_error(tmp_path: Path) -> None:
    ignore = tmp_path / ".dockerignore"
    ignore.write_text("a\n")
    ignore.chmod(0)
    try:
        context = BuildContext.load(tmp_path)
    finally:
        ignore.chmod(0o644)
    assert context.has_dockerignore
    assert context.patterns == ()
    assert [e.line for e in context.ignore_errors] == [0]


def test_huge_ignore_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").write_text("a\n" * 600_000)
    context = BuildContext.load(tmp_path)
    assert context.patterns == ()
    assert "larger than" in context.ignore_errors[0].message


def test_load_requires_a_directory(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        BuildContext.load(tmp_path / "missing")


def test_context_is_frozen(tmp_path: Path) -> None:
    context = BuildContext.load(tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.root = Path("/")  # type: ignore[misc]  # asserting the dataclass is frozen


# --- realistic contexts -------------------------------------------------------------

NODE_PROJECT = {
    "Dockerfile": "FROM node:20\n",
    ".dockerignore": "node_modules\n.git\n*.log\n!important.log\n.env*\n!.env.example\n",
    "package.json": "{}",
    "package-lock.json": "{}",
    "src/index.js": "",
    "src/lib/util.js": "",
    "src/lib/util.test.js": "",
    "public/index.html": "",
    "node_modules/left-pad/index.js": "",
    "node_modules/left-pad/package.json": "{}",
    ".git/HEAD": "ref: refs/heads/main\n",
    "debug.log": "",
    "important.log": "",
    ".env": "SECRET=1\n",
    ".env.example": "SECRET=\n",
}


@pytest.fixture
def node_project(tmp_path: Path) -> BuildContext:
    make_tree(tmp_path, NODE_PROJECT)
    return BuildContext.load(tmp_path, tmp_path / "Dockerfile")


def test_listing_of_a_node_project(node_project: BuildContext) -> None:
    listing = node_project.listing
    assert listing.pruned == (".git", "node_modules")  # ignored, nothing can come back
    assert not node_project.truncated
    assert node_project.files() == (
        ".dockerignore",
        ".env",
        ".env.example",
        "Dockerfile",
        "debug.log",
        "important.log",
        "package-lock.json",
        "package.json",
        "public/index.html",
        "src/index.js",
        "src/lib/util.js",
        "src/lib/util.test.js",
    )
    assert node_project.included_files() == (
        ".dockerignore",
        ".env.example",
        "Dockerfile",
        "important.log",
        "package-lock.json",
        "package.json",
        "public/index.html",
        "src/index.js",
        "src/lib/util.js",
        "src/lib/util.test.js",
    )
    assert listing.included_directories == ("public", "src", "src/lib")


def test_exceptions_with_wildcards_keep_ignored_directories_walked(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            ".dockerignore": "vendor\n!vendor/**/LICENSE\n",
            "vendor/a/LICENSE": "",
            "vendor/a/code.go": "",
        },
    )
    context = BuildContext.load(tmp_path)
    assert context.listing.pruned == ()
    assert context.included_files() == (".dockerignore", "vendor/a/LICENSE")
    assert context.listing.included_directories == ("vendor", "vendor/a")
    assert context.glob("vendor/*") == ("vendor/a",)
    assert context.copied_files("vendor") == ("vendor/a/LICENSE",)


def test_literal_exception_below_an_ignored_directory(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {".dockerignore": "docs\nbuild\n!docs/keep.md\n", "docs/keep.md": "", "docs/x.md": ""},
    )
    (tmp_path / "build").mkdir()
    context = BuildContext.load(tmp_path)
    assert context.listing.pruned == ("build",)
    assert context.included_files() == (".dockerignore", "docs/keep.md")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (".", (".",)),
        ("./", (".",)),
        ("package.json", ("package.json",)),
        ("/package.json", ("package.json",)),
        ("./src/", ("src",)),
        ("package*.json", ("package-lock.json", "package.json")),
        ("src/*.js", ("src/index.js",)),
        ("src/*", ("src/index.js", "src/lib")),
        ("src/*/util.js", ("src/lib/util.js",)),
        ("*/index.*", ("public/index.html", "src/index.js")),
        ("src/lib/util.[jt]s", ("src/lib/util.js",)),
        ("*.log", ("important.log",)),  # debug.log is never sent
        (".env", ()),
        ("node_modules", ()),
        ("missing.txt", ()),
        ("src/[", ()),  # a bad pattern matches nothing, as in BuildKit
    ],
)
def test_glob(node_project: BuildContext, source: str, expected: tuple[str, ...]) -> None:
    assert node_project.glob(source) == expected


def test_glob_including_ignored_entries(node_project: BuildContext) -> None:
    assert node_project.glob("*.log", include_ignored=True) == ("debug.log", "important.log")
    assert node_project.glob(".env", include_ignored=True) == (".env",)


def test_copied_files(node_project: BuildContext) -> None:
    assert node_project.copied_files(".") == node_project.included_files()
    assert node_project.copied_files("src") == (
        "src/index.js",
        "src/lib/util.js",
        "src/lib/util.test.js",
    )
    assert node_project.copied_files("src/*") == node_project.copied_files("src")
    assert node_project.copied_files("package*.json") == ("package-lock.json", "package.json")
    assert node_project.copied_files("node_modules") == ()


def test_dockerfile_and_ignore_file_can_exclude_themselves(tmp_path: Path) -> None:
    # "These files are still sent to the daemon ... But ADD and COPY do not copy them"
    make_tree(tmp_path, {".dockerignore": "Dockerfile\n.dockerignore\n", "Dockerfile": "", "a": ""})
    context = BuildContext.load(tmp_path, tmp_path / "Dockerfile")
    assert context.copied_files(".") == ("a",)
    assert context.files() == (".dockerignore", "Dockerfile", "a")


def test_exists_ignores_the_ignore_file(node_project: BuildContext) -> None:
    assert node_project.exists("node_modules/left-pad/index.js")
    assert node_project.exists("./src/lib/")
    assert node_project.exists(".")
    assert not node_project.exists("src/nope.js")
    assert not node_project.exists("../outside")
    assert node_project.is_ignored("node_modules/left-pad/index.js")


def test_read_text_is_bounded_and_stays_inside(node_project: BuildContext, tmp_path: Path) -> None:
    assert node_project.read_text(".env") == "SECRET=1\n"
    assert node_project.read_text(".env", limit=3) == "SEC"
    assert node_project.read_text("src") is None  # a directory
    assert node_project.read_text("missing") is None
    assert node_project.read_text("../" + tmp_path.name + "/.env") is None
    assert node_project.read_text("") is None


def test_read_text_decodes_leniently(tmp_path: Path) -> None:
    (tmp_path / "bin").write_bytes(b"ok\xff\xfe")
    assert BuildContext.load(tmp_path).read_text("bin") == "ok\ufffd\ufffd"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_read_text_does_not_block_on_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    context = BuildContext.load(tmp_path)
    assert context.read_text("pipe") is None
    assert context.files() == ("pipe",)


# --- symlinks and unreadable entries ------------------------------------------------


def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    outside = make_tree(tmp_path / "outside", {"secret.txt": "top secret", "d/f": ""})
    ctx = make_tree(tmp_path / "ctx", {"a/file.txt": "x"})
    (ctx / "a" / "loop").symlink_to("..")  # a loop back to the root
    (ctx / "self").symlink_to("self")  # a link to itself
    (ctx / "escape.txt").symlink_to(outside / "secret.txt")
    (ctx / "escape-dir").symlink_to(outside / "d")
    (ctx / ".env").symlink_to(outside / "secret.txt")
    context = BuildContext.load(ctx)
    assert context.files() == (".env", "a/file.txt", "a/loop", "escape-dir", "escape.txt", "self")
    assert context.listing.symlinks == {".env", "a/loop", "escape-dir", "escape.txt", "self"}
    assert context.listing.directories == ("a",)
    assert context.read_text("escape.txt") is None
    assert context.read_text("escape-dir/f") is None
    assert context.read_text("a/loop/a/file.txt") is None
    assert context.read_text("self") is None
    assert context.exists("escape.txt")  # the link itself is there ...
    assert not context.exists("escape-dir/f")  # ... but is not a way out
    assert context.secret_files() == ()  # a symlinked .env copies as a link
    assert context.copied_files("escape-dir") == ("escape-dir",)


@pytest.mark.skipif(AS_ROOT, reason="root reads files regardless of their mode")
def test_unreadable_file_and_directory(tmp_path: Path) -> None:
    make_tree(tmp_path, {"locked.pem": "-----BEGIN PRIVATE KEY-----", "closed/inner": ""})
    (tmp_path / "locked.pem").chmod(0)
    (tmp_path / "closed").chmod(0)
    try:
        context = BuildContext.load(tmp_path)
        assert context.files() == ("locked.pem",)
        assert context.listing.directories == ("closed",)
        assert context.listing.unreadable == ("closed",)
        assert context.read_text("locked.pem") is None
        # an unreadable key file cannot be cleared as a certificate
        assert context.looks_like_secret("locked.pem") == "private key"
    finally:
        (tmp_path / "locked.pem").chmod(0o644)
        (tmp_path / "closed").chmod(0o755)


def test_chmod_000_file_when_root(tmp_path: Path) -> None:
    make_tree(tmp_path, {"locked.txt": "x"})
    (tmp_path / "locked.txt").chmod(0)
    try:
        context = BuildContext.load(tmp_path)
        assert context.files() == ("locked.txt",)  # listing never needs to read it
        expected = "x" if AS_ROOT else None
        assert context.read_text("locked.txt") == expected
    finally:
        (tmp_path / "locked.txt").chmod(0o644)


# --- size bounds -------------------------------------------------------------------


def test_truncated_listing_keeps_shallow_entries(tmp_path: Path) -> None:
    make_tree(tmp_path, {f"deep/{i}/f.txt": "" for i in range(20)})
    make_tree(tmp_path, {"Dockerfile": "", "package.json": ""})
    context = BuildContext.load(tmp_path, max_entries=10)
    assert context.truncated
    assert {"Dockerfile", "package.json"} <= set(context.files())
    assert len(context.files()) + len(context.listing.directories) == 10


def test_twenty_thousand_files_list_quickly(tmp_path: Path) -> None:
    template = tmp_path / "template"
    template.touch()
    root = tmp_path / "ctx"
    for d in range(200):
        folder = root / f"pkg{d:03}"
        folder.mkdir(parents=True)
        for f in range(100):
            # hard links: as good as files for a listing, and much cheaper to create
            os.link(template, folder / f"mod{f:03}.{'log' if f % 10 == 0 else 'py'}")
    (root / ".dockerignore").write_text("**/*.log\n!pkg000/mod000.log\n")
    # Speed is measured by benchmarks, not asserted here (machines are noisy); a
    # quadratic listing would make this test crawl, which shows in the suite's time.
    context = BuildContext.load(root)
    files = context.files()
    included = context.included_files()
    secrets = context.secret_files()
    assert len(files) == 20_001
    assert len(included) == 18_000 + 1 + 1
    assert secrets == ()
    assert not context.truncated


# --- is this the build's context ----------------------------------------------------


@pytest.mark.parametrize(
    ("files", "folder", "sources", "expected"),
    [
        # Named sources only at the checkout root: the context is elsewhere.
        ({".git/HEAD": "", "package.json": "", "docker/x": ""}, "docker", ("package.json",), ".."),
        (
            {".git/HEAD": "", "src/Api/Api.csproj": "", "src/Api/Dockerfile": ""},
            "src/Api",
            ("src/Api/Api.csproj", "src/Api/*.json"),
            "../..",
        ),
        ({"src/Admin/a.json": "", "util/n/x": ""}, "util/n", ("src/Admin/*.json",), "../.."),
        # One named source is here: this is the context.
        ({"package.json": "", "d/package.json": ""}, "d", ("package.json", "src"), None),
        # Missing everywhere (a build output not made yet): nothing tells.
        ({".git/HEAD": "", "docker/x": ""}, "docker", ("target/app.jar",), None),
        # Nothing named, or only the whole context.
        ({"package.json": "", "docker/x": ""}, "docker", (), None),
        ({"package.json": "", "docker/x": ""}, "docker", (".",), None),
        # The search stops at the checkout's root (`.git`).
        ({"package.json": "", "r/.git/HEAD": "", "r/d/x": ""}, "r/d", ("package.json",), None),
    ],
)
def test_sources_elsewhere(
    tmp_path: Path,
    files: dict[str, str],
    folder: str,
    sources: tuple[str, ...],
    expected: str | None,
) -> None:
    make_tree(tmp_path, files)
    context = BuildContext.load(tmp_path / folder)
    assert context.sources_elsewhere(sources) == expected


def test_sources_elsewhere_goes_up_a_few_folders(tmp_path: Path) -> None:
    make_tree(tmp_path, {"Makefile": "", "a/b/c/d/e/f/x": ""})
    assert BuildContext.load(tmp_path / "a/b/c/d/e").sources_elsewhere(("Makefile",)) == (
        "../../../../.."
    )
    assert BuildContext.load(tmp_path / "a/b/c/d/e/f").sources_elsewhere(("Makefile",)) is None


# --- secrets ------------------------------------------------------------------------

SECRET_CASES = [
    # (path, content, reason or None)
    (".env", "DB_PASSWORD=hunter2\n", "dotenv file with environment secrets"),
    ("config/.env.production", "API_TOKEN=abc123", "dotenv file with environment secrets"),
    (".env.local", "export SECRET_KEY='k3y' # prod", "dotenv file with environment secrets"),
    (
        ".env",
        "DATABASE_URL=postgres://app:hunter2@db/app\n",
        "dotenv file with environment secrets",
    ),
    (".env", "A=1\nPORT=8080\nNODE_ENV=production\n", None),  # nothing secret-named
    (".env", "DB_PASSWORD=\nAPP_KEY=''\n", None),  # empty values
    (".env", "SECRET_KEY=changeme\nDB_PASSWORD=<password>\nTOKEN=your-token-here\n", None),
    (".env", "API_TOKEN=${API_TOKEN}\nMYSQL_ALLOW_EMPTY_PASSWORD=yes\n", None),
    (".env.production", "VITE_API_KEY=AIza123\nNEXT_PUBLIC_SECRET=x\n", None),  # public
    (".env.development", "EXPO_PUBLIC_TOKEN=abc\nREACT_APP_KEY=abc\n", None),
    (".env", "", None),
    (".env.dist", "SECRET_KEY=abc123", None),
    ("tests/.env", "SECRET_KEY=abc123", None),  # test and example folders hold samples
    (".env.example", "A=", None),
    (".env.sample", "A=", None),
    (".env.template", "A=", None),
    (".env.local.example", "A=", None),
    ("env.py", "", None),
    ("id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----", "SSH private key"),
    ("home/.ssh/id_ed25519", "x", "SSH private key"),
    ("id_rsa.pub", "ssh-rsa AAAA", None),
    ("certs/server.pem", "-----BEGIN RSA PRIVATE KEY-----\n", "private key"),
    ("tls/tls.key", "-----BEGIN PRIVATE KEY-----\n", "private key"),
    ("config/master.key", "4f2c0a", "private key"),  # not PEM at all: assume the worst
    ("vault.key", "", None),  # an empty file holds no key
    ("vault.key", " \n", None),
    ("example/cert.p12", "x", None),
    ("apps/web/examples/signing.pem", "-----BEGIN PRIVATE KEY-----\n", None),
    ("testdata/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----", None),
    ("src/test_resources/keys/server.key", "-----BEGIN PRIVATE KEY-----\n", None),
    ("internal/suites/common/pki/private.pem", "-----BEGIN PRIVATE KEY-----\n", None),
    ("web/e2e/fixtures.key", "-----BEGIN PRIVATE KEY-----\n", None),
    ("contest/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----", "SSH private key"),
    ("certs/ca.pem", "-----BEGIN CERTIFICATE-----\n", None),
    ("keys/public.key", "-----BEGIN PUBLIC KEY-----\n", None),
    ("android/release.jks", "x", "Java key store"),
    ("store.p12", "x", "PKCS#12 key store"),
    ("CERT.PFX", "x", "PKCS#12 key store"),
    (".npmrc", "//registry.npmjs.org/:_authToken=npm_abc123\n", "npm registry token"),
    (".npmrc", "_auth = dXNlcjpwYXNz\n", "npm registry token"),
    (".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", None),
    (".npmrc", "registry=https://registry.npmjs.org/\nalways-auth=true\n", None),
    (".npmrc", "# //r/:_authToken=abc\n", None),
    (".yarnrc.yml", 'npmAuthToken: "abc123"\n', "Yarn registry token"),
    (".yarnrc.yml", 'npmAuthToken: "${NPM_TOKEN}"\n', None),
    (".pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEI\n", "PyPI password or token"),
    (".pypirc", "[distutils]\nindex-servers = pypi\n", None),
    (".netrc", "machine github.com login me password ghp_abc\n", "netrc password"),
    (".netrc", "machine github.com login me\n", None),
    (".git-credentials", "https://me:ghp_abc@github.com\n", "Git credentials"),
    (".git-credentials", "\n", None),
    (".aws/credentials", "[default]\naws_access_key_id = AKIA\n", "AWS credentials"),
    ("aws/credentials.py", "", None),
    (
        ".docker/config.json",
        '{"auths": {"r": {"auth": "dXNlcjpw"}}}',
        "Docker registry credentials",
    ),
    (".docker/config.json", '{"credsStore": "desktop"}', None),
    (
        "deploy/sa.json",
        '{\n  "type": "service_account",\n  "project_id": "p"\n}',
        "Google Cloud service-account key",
    ),
    ("package.json", '{"name": "app", "type": "module"}', None),
    ("client_secret_123.apps.googleusercontent.com.json", "{}", "OAuth client secret"),
    ("infra/terraform.tfstate", "{}", "Terraform state"),
    ("infra/terraform.tfstate.backup", "{}", "Terraform state"),
    ("infra/main.tf", "", None),
    (".kube/config", "apiVersion: v1\n", "Kubernetes credentials (kubeconfig)"),
    ("kubeconfig", "apiVersion: v1\n", "Kubernetes credentials (kubeconfig)"),
    ("ci/prod.kubeconfig", "apiVersion: v1\n", "Kubernetes credentials (kubeconfig)"),
    ("config", "apiVersion: v1\n", None),
    (".htpasswd", "admin:$apr1$x", "htpasswd password hashes"),
    ("src/keys.py", "", None),
    ("README.md", "put your token in .npmrc", None),
]


@pytest.mark.parametrize(("path", "content", "reason"), SECRET_CASES)
def test_looks_like_secret(tmp_path: Path, path: str, content: str, reason: str | None) -> None:
    make_tree(tmp_path, {path: content})
    context = BuildContext.load(tmp_path)
    assert context.looks_like_secret(path) == reason
    expected = (SecretFile(path, reason),) if reason else ()
    assert context.secret_files() == expected


def test_secret_files_respect_the_ignore_file(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            ".dockerignore": ".env\n*.pem\n!public.pem\n",
            ".env": "A=1",
            "server.pem": "-----BEGIN PRIVATE KEY-----",
            "public.pem": "-----BEGIN PRIVATE KEY-----",
            "id_rsa": "x",
            "src/app.py": "",
        },
    )
    context = BuildContext.load(tmp_path)
    assert context.secret_files() == (
        SecretFile("id_rsa", "SSH private key"),
        SecretFile("public.pem", "private key"),
    )


def test_ignore_rules_default_is_empty() -> None:
    assert IgnoreRules().patterns == ()
    assert not IgnoreRules().has_exclusions
    assert parse_dockerignore("a\n!b\n").has_exclusions


def test_reincluded_directory_keeps_its_parents(tmp_path: Path) -> None:
    (tmp_path / "nm" / "keep").mkdir(parents=True)
    (tmp_path / "nm" / "keep" / "i.js").write_text("x")
    (tmp_path / "nm" / "drop.js").write_text("x")
    (tmp_path / ".dockerignore").write_text("nm\n!nm/keep\n")
    ctx = BuildContext.load(tmp_path)
    assert "nm" in ctx.listing.included_directories
    assert ctx.copied_files("nm") == ("nm/keep/i.js",)


# --- patterns Python's backtracking would take exponential time on -------------------
# Go's regexp is linear; these must give Go's answers without hanging (timing is left
# to benchmarks: a hang here shows as a stuck test).

A200 = "a" * 200
ADVERSARIAL_CASES = [
    ("*a*a*a*a*b", A200, False),
    ("*a*a*a*a*b", A200 + "b", True),
    ("*a*a*a*a*b", A200 + "/b", False),  # `*` does not cross `/`
    ("*a*a*a*a*a*a*a*b", A200, False),
    ("**/a*a*a*a*a*a*a*b", "x/" + A200, False),
    ("**/a*a*a*a*a*a*a*b", "x/y/" + A200 + "b", True),
    ("**/a*a*a*a*a*a*a*b", "x/" + A200 + "b/inner", True),  # a parent matches
    ("a*a*a*a*a*a*/**/c", A200 + "/" + A200 + "/d", False),
    ("a*a*a*a*a*a*/**/c", A200 + "/" + A200 + "/c", True),
    ("**/a/**/a/**/a/**/b", "a/" * 60 + "c", False),
    ("**/a/**/a/**/a/**/b", "a/" * 60 + "b", True),
    ("*[ab]*[ab]*[ab]*[ab]*c", "ab" * 100, False),
    ("*[ab]*[ab]*[ab]*[ab]*c", "ab" * 100 + "c", True),
    ("*?*?*?*?*?*c", A200, False),
    ("*[^/]*[^b]*[^b]*[^b]*c", A200, False),
    ("^*a*a*a*b", A200, False),
]


@pytest.mark.parametrize(("ignore", "path", "expected"), ADVERSARIAL_CASES)
def test_adversarial_ignore_patterns(ignore: str, path: str, expected: bool) -> None:
    assert ignoring(ignore).is_ignored(path) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*a*a*a*a*a*a*b", ("a" * 120 + "b",)),
        ("src/*a*a*a*a*a*a*a*c", ()),
        ("src/*[a]*[a]*?*a*a*b", ("src/" + "a" * 150 + "b",)),
        ("*/*a*a*a*a*a*b", ("src/" + "a" * 150 + "b",)),
    ],
)
def test_adversarial_copy_sources(tmp_path: Path, source: str, expected: tuple[str, ...]) -> None:
    make_tree(
        tmp_path,
        {"a" * 120: "", "a" * 120 + "b": "", "src/" + "a" * 150: "", "src/" + "a" * 150 + "b": ""},
    )
    assert BuildContext.load(tmp_path).glob(source) == expected


def test_linear_matcher_agrees_with_python_regexps() -> None:
    """The NFA simulation used for many-star patterns answers as ``re`` does."""
    rng = random.Random(8)
    atoms = ["a", "b", "/", "*", "?", "[ab]", "[^a]", "**", "**/", "\\*", "^"]
    paths = ["".join(rng.choice("ab/*\n") for _ in range(rng.randrange(9))) for _ in range(60)]
    for _ in range(300):
        pattern = "".join(rng.choice(atoms) for _ in range(rng.randrange(1, 7)))
        _, glob = _compile_moby(pattern)
        compiled = [go_glob_regex(pattern)] + ([glob] if glob is not None else [])
        for g in compiled:
            for path in paths:
                expected = g.regex.fullmatch(path) is not None
                assert g._simulate(path) is expected, (pattern, path)


def test_context_cache_shares_reads_between_dockerfiles_with_the_same_ignore_file(
    tmp_path: Path,
) -> None:
    (tmp_path / ".dockerignore").write_text("*.log\n")
    (tmp_path / "api.Dockerfile.dockerignore").write_text("src\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("")
    (tmp_path / "debug.log").write_text("")
    (tmp_path / ".env").write_text("TOKEN=x\n")
    cache = ContextCache(size=4)
    web = cache.load(tmp_path, tmp_path / "web.Dockerfile")
    worker = cache.load(tmp_path, tmp_path / "worker.Dockerfile")
    api = cache.load(tmp_path, tmp_path / "api.Dockerfile")
    # Each context knows its own Dockerfile (rules name it in messages) ...
    assert (web.dockerfile, worker.dockerfile) == (
        tmp_path / "web.Dockerfile",
        tmp_path / "worker.Dockerfile",
    )
    # ... and one listing is read for the two that share `.dockerignore`.
    assert worker.listing is web.listing
    assert worker.secret_files() is web.secret_files()
    assert [s.path for s in web.secret_files()] == [".env"]
    assert web.is_ignored("debug.log")
    assert not web.is_ignored("src/main.py")
    # A Dockerfile-specific ignore file is another context, with its own rules.
    assert api.ignore_file == tmp_path / "api.Dockerfile.dockerignore"
    assert api.is_ignored("src/main.py")
    assert not api.is_ignored("debug.log")
    assert api.listing is not web.listing
    assert api.included_files() == (
        ".dockerignore",
        ".env",
        "api.Dockerfile.dockerignore",
        "debug.log",
    )
    # Same answers as contexts loaded on their own.
    alone = BuildContext.load(tmp_path, tmp_path / "worker.Dockerfile")
    assert alone.listing == worker.listing
    assert alone.secret_files() == worker.secret_files()


def test_context_cache_keeps_the_most_recently_used(tmp_path: Path) -> None:
    roots = [tmp_path / name for name in ("a", "b", "c")]
    for root in roots:
        root.mkdir()
    cache = ContextCache(size=2)
    first = cache.load(roots[0])
    cache.load(roots[1])
    assert cache.load(roots[0]).listing is first.listing  # still cached, now most recent
    cache.load(roots[2])  # evicts b
    assert cache.load(roots[0]).listing is first.listing
    with pytest.raises(NotADirectoryError):
        cache.load(tmp_path / "missing")


def test_glob_results_are_remembered_per_context(tmp_path: Path) -> None:
    make_tree(tmp_path, {"a.json": "", "b.json": "", "c.txt": "", ".dockerignore": "b.json\n"})
    cache = ContextCache()
    first = cache.load(tmp_path, tmp_path / "one.Dockerfile")
    second = cache.load(tmp_path, tmp_path / "two.Dockerfile")
    assert first.glob("*.json") == ("a.json",)
    assert first.glob("*.json", include_ignored=True) == ("a.json", "b.json")
    assert second.glob("*.json") is first.glob("*.json")  # computed once for the folder
    assert BuildContext.load(tmp_path).glob("./*.json") == ("a.json",)


def test_with_new_files_takes_a_new_ignore_file_where_the_builder_looks(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TOKEN=x\n")
    (tmp_path / "app.py").write_text("")
    dockerfile = tmp_path / "Dockerfile"
    context = BuildContext.load(tmp_path, dockerfile)
    assert not context.is_ignored(".env")
    unrelated = context.with_new_files({tmp_path / "notes.txt": ".env\n"})
    assert unrelated is context
    root_file = context.with_new_files({tmp_path / ".dockerignore": ".env\n"})
    assert root_file.ignore_file == tmp_path / ".dockerignore"
    assert root_file.is_ignored(".env")
    assert not root_file.is_ignored("app.py")
    own = tmp_path / "Dockerfile.dockerignore"
    both = context.with_new_files({tmp_path / ".dockerignore": ".env\n", own: "app.py\n"})
    assert both.ignore_file == own  # the Dockerfile's own ignore file comes first
    assert (both.is_ignored("app.py"), both.is_ignored(".env")) == (True, False)
    assert not context.is_ignored(".env")  # the context itself is unchanged
    (tmp_path / ".dockerignore").write_text("app.py\n")
    existing = BuildContext.load(tmp_path, dockerfile)
    assert existing.with_new_files({own: ".env\n"}) is existing  # one exists already


def test_a_path_with_a_nul_byte_names_nothing(tmp_path: Path) -> None:
    """A JSON-form COPY can spell a NUL (`"a\\u0000b"`); no file name holds one, and
    every `os` call refuses it with ValueError (a fuzzed file crashed a rule with it)."""
    (tmp_path / "a").write_text("x")
    context = BuildContext.load(tmp_path)
    assert not context.exists("a\x00b")
    assert context.read_text("a\x00") is None
    assert context.exists("a")
