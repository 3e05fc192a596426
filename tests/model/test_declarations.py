"""Build declarations that name a Dockerfile: compose, bake and workflow files."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from dflint.model.declarations import (
    Declarations,
    Unknowable,
    bake_value,
    choose,
    compose_value,
    matrix_combinations,
    read_dotenv,
    repository_root,
)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def contexts(repo: Path, dockerfile: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    found = Declarations(repo).find(repo / dockerfile)
    return [
        (
            os.path.relpath(d.context, repo),
            os.path.relpath(d.source, repo),
            d.name,
            d.named_contexts,
        )
        for d in found.declarations
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("${CTX:-./app}", "./app"),
        ("${CTX-./app}", "./app"),
        ("$$HOME/x", "$HOME/x"),
        ("plain", "plain"),
    ],
)
def test_compose_values_at_their_defaults(text: str, value: str) -> None:
    assert compose_value(text) == value


@pytest.mark.parametrize("text", ["${CTX}", "$CTX/app", "${CTX:?required}"])
def test_compose_values_without_a_default_are_unknowable(text: str) -> None:
    with pytest.raises(Unknowable):
        compose_value(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("${DF}", "./src/a/Dockerfile"),
        ("$DF", "./src/a/Dockerfile"),
        ("${EMPTY:-d}", "d"),  # `:-`: empty counts as unset
        ("${EMPTY-d}", ""),  # `-`: only unset does
        ("${DF:+alt}", "alt"),
        ("${NONE:+alt}", ""),
        ("${DF:?required}", "./src/a/Dockerfile"),
        ("${NESTED}", "./src/a/Dockerfile.dev"),
        ("${QUOTED}", "a b"),
    ],
)
def test_compose_values_from_the_project_dotenv(tmp_path: Path, text: str, value: str) -> None:
    (tmp_path / ".env").write_text(
        "# settings\nDF=./src/a/Dockerfile # the api\nEMPTY=\nexport NESTED=${DF}.dev\n"
        "QUOTED='a b'\nnot a line\n"
    )
    assert compose_value(text, read_dotenv(tmp_path / ".env")) == value
    assert read_dotenv(tmp_path / "absent") == {}


def test_compose_dockerfile_named_by_the_dotenv_file(tmp_path: Path) -> None:
    """`dockerfile: ${API_DOCKERFILE}` with the value in `.env` beside the compose file."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "compose.yaml").write_text(
        "services:\n  api:\n    build:\n      context: ./\n      dockerfile: ${API_DOCKERFILE}\n"
    )
    (tmp_path / "src/api").mkdir(parents=True)
    dockerfile = tmp_path / "src/api/Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\n")
    declarations = Declarations(tmp_path)
    assert declarations.find(dockerfile).declarations == ()
    (tmp_path / ".env").write_text("API_DOCKERFILE=./src/api/Dockerfile\n")
    os.utime(tmp_path / ".env", (1, 1))  # older than the compose file: still read
    declarations.forget_folders()  # a new file: listed again
    (found,) = declarations.find(dockerfile).declarations
    assert (found.context, found.name) == (tmp_path, "service api")


def test_bake_values() -> None:
    assert bake_value('"${CTX}/x"', {"CTX": "app"}) == "app/x"
    assert bake_value("plain", {}) == "plain"
    with pytest.raises(Unknowable):
        bake_value('"${lower(CTX)}"', {"CTX": "a"})
    with pytest.raises(Unknowable):
        bake_value(["a"], {})


def test_compose_string_and_mapping_forms(repo: Path) -> None:
    write(
        repo,
        {
            "compose.yaml": """\
                services:
                  web:
                    build: ./web
                  api:
                    build:
                      context: ./deploy/..
                      dockerfile: deploy/api.Dockerfile
                      additional_contexts:
                        shared: ../shared
                        base: docker-image://alpine:3.20
                  worker:
                    build:
                      context: .
                      dockerfile: deploy/api.Dockerfile
                      additional_contexts:
                        - proto=./proto
                  inline:
                    build:
                      dockerfile_inline: "FROM alpine"
                  image-only:
                    image: redis:7
                """,
            "web/Dockerfile": "FROM alpine\n",
            "deploy/api.Dockerfile": "FROM alpine\n",
        },
    )
    assert contexts(repo, "web/Dockerfile") == [("web", "compose.yaml", "service web", ())]
    assert contexts(repo, "deploy/api.Dockerfile") == [
        (".", "compose.yaml", "service api", ("base", "shared")),
        (".", "compose.yaml", "service worker", ("proto",)),
    ]


def test_compose_env_files(repo: Path) -> None:
    write(
        repo,
        {
            "docker/compose.yml": """\
                services:
                  app:
                    build: .
                    env_file: .env
                  worker:
                    build: .
                    env_file:
                      - ./worker.env
                      - path: ../shared/${STAGE:-dev}.env
                        required: false
                      - ${UNSET_NAME}.env
                  db:
                    image: postgres:17
                    env_file: db.env
                """,
            "docker/Dockerfile": "FROM alpine\n",
        },
    )
    found = {
        d.name: d.env_files
        for d in Declarations(repo).find(repo / "docker/Dockerfile").declarations
    }
    assert found == {
        "service app": (repo / "docker/.env",),
        "service worker": (repo / "docker/worker.env", repo / "shared/dev.env"),
    }
    choice = choose(repo / "docker/Dockerfile", None, Declarations(repo), repo)
    assert choice.env_files == (
        repo / "docker/.env",
        repo / "docker/worker.env",
        repo / "shared/dev.env",
    )


def test_compose_context_above_the_compose_file(repo: Path) -> None:
    write(
        repo,
        {
            "deploy/compose.yml": """\
                services:
                  api:
                    build:
                      context: ..
                      dockerfile: deploy/Dockerfile
                """,
            "deploy/Dockerfile": "FROM alpine\n",
        },
    )
    assert contexts(repo, "deploy/Dockerfile") == [(".", "deploy/compose.yml", "service api", ())]


def test_compose_override_merges_per_service_and_variables_use_defaults(repo: Path) -> None:
    write(
        repo,
        {
            "docker-compose.yml": """\
                services:
                  app:
                    build:
                      context: ${APP_CONTEXT:-.}
                      dockerfile: Dockerfile
                  unknown:
                    build: ${NO_DEFAULT}
                """,
            "docker-compose.override.yml": """\
                services:
                  app:
                    build:
                      dockerfile: docker/Dockerfile.dev
                """,
            "docker/Dockerfile.dev": "FROM alpine\n",
        },
    )
    assert contexts(repo, "docker/Dockerfile.dev") == [
        (".", "docker-compose.yml", "service app", ())
    ]


def test_a_dockerfile_named_by_two_services_nearest_folder_first(repo: Path) -> None:
    write(
        repo,
        {
            "compose.yaml": "services:\n  a:\n    build: {context: ., dockerfile: svc/Dockerfile}",
            "svc/compose.yaml": "services:\n  b:\n    build: .\n",
            "svc/Dockerfile": "FROM alpine\n",
        },
    )
    assert contexts(repo, "svc/Dockerfile") == [
        ("svc", "svc/compose.yaml", "service b", ()),
        (".", "compose.yaml", "service a", ()),
    ]


def test_bake_with_inherits_variables_and_contexts(repo: Path) -> None:
    write(
        repo,
        {
            "docker-bake.hcl": """\
                variable "CTX" {
                  default = "."
                }
                group "default" {
                  targets = ["app"]
                }
                target "_common" {
                  context = "${CTX}"
                  contexts = {
                    shared = "./shared"
                  }
                }
                target "app" {
                  inherits = ["_common"]
                  dockerfile = "build/app.Dockerfile"
                }
                target "docs" {
                  context = "docs"
                }
                target "computed" {
                  context = "${lower(CTX)}"
                  dockerfile = "build/app.Dockerfile"
                }
                """,
            "build/app.Dockerfile": "FROM alpine\n",
            "docs/Dockerfile": "FROM alpine\n",
        },
    )
    assert contexts(repo, "build/app.Dockerfile") == [
        (".", "docker-bake.hcl", "target app", ("shared",))
    ]
    assert contexts(repo, "docs/Dockerfile") == [("docs", "docker-bake.hcl", "target docs", ())]


def test_bake_json(repo: Path) -> None:
    write(
        repo,
        {
            "docker-bake.json": """\
                {"variable": {"D": {"default": "ci"}},
                 "target": {"app": {"context": "${D}", "dockerfile": "Dockerfile"}}}
                """,
            "ci/Dockerfile": "FROM alpine\n",
        },
    )
    assert contexts(repo, "ci/Dockerfile") == [("ci", "docker-bake.json", "target app", ())]


def test_workflow_steps(repo: Path) -> None:
    write(
        repo,
        {
            ".github/workflows/ci.yml": """\
                jobs:
                  image:
                    steps:
                      - uses: actions/checkout@v4
                      - name: Build api
                        uses: docker/build-push-action@v6
                        with:
                          context: .
                          file: services/api/Dockerfile
                          build-contexts: |
                            proto=./proto
                      - uses: docker/build-push-action@v6
                        with:
                          context: ${{ matrix.dir }}
                          file: services/api/Dockerfile
                      - uses: docker/build-push-action@v6
                        with:
                          context: services/web
                """,
            "services/api/Dockerfile": "FROM alpine\n",
            "services/web/Dockerfile": "FROM alpine\n",
        },
    )
    assert contexts(repo, "services/api/Dockerfile") == [
        (".", ".github/workflows/ci.yml", "job image, Build api", ("proto",))
    ]
    assert contexts(repo, "services/web/Dockerfile") == [
        ("services/web", ".github/workflows/ci.yml", "job image, step 4", ())
    ]


def test_broken_files_are_warnings_and_the_others_still_count(repo: Path) -> None:
    write(
        repo,
        {
            "compose.yaml": "services: [unclosed\n",
            "docker-bake.hcl": 'target "x" {\n',
            "sub/compose.yaml": "services:\n  s:\n    build: .\n",
            "sub/Dockerfile": "FROM alpine\n",
        },
    )
    found = Declarations(repo).find(repo / "sub" / "Dockerfile")
    assert [d.name for d in found.declarations] == ["service s"]
    assert len(found.warnings) == 2
    assert all("not read as a build declaration" in w for w in found.warnings)


def test_no_declaration_files_means_no_declarations(repo: Path) -> None:
    write(repo, {"a/b/Dockerfile": "FROM alpine\n"})
    assert Declarations(repo).find(repo / "a" / "b" / "Dockerfile").declarations == ()


def test_each_file_is_read_once_until_it_changes(repo: Path) -> None:
    write(repo, {"compose.yaml": "services:\n  s:\n    build: .\n", "Dockerfile": "FROM x\n"})
    declarations = Declarations(repo)
    first = declarations.find(repo / "Dockerfile")
    assert declarations.find(repo / "Dockerfile") == first
    (repo / "compose.yaml").write_text("services:\n  t:\n    build: .\n")
    stat = (repo / "compose.yaml").stat()
    os.utime(repo / "compose.yaml", (stat.st_atime, stat.st_mtime + 10))
    assert [d.name for d in declarations.find(repo / "Dockerfile").declarations] == ["service t"]


def test_repository_root(tmp_path: Path) -> None:
    (tmp_path / "r" / ".git").mkdir(parents=True)
    (tmp_path / "r" / "a").mkdir()
    assert repository_root(tmp_path / "r" / "a" / "Dockerfile", tmp_path) == tmp_path / "r"
    (tmp_path / "n" / "a").mkdir(parents=True)
    assert repository_root(tmp_path / "n" / "a" / "Dockerfile", tmp_path) == tmp_path
    assert repository_root(tmp_path / "n" / "a" / "Dockerfile", tmp_path / "x") == (
        tmp_path / "n" / "a"
    )


def test_choice_precedence(repo: Path) -> None:
    write(
        repo,
        {
            "compose.yaml": """\
                services:
                  a:
                    build: {context: ., dockerfile: svc/Dockerfile, additional_contexts: {x: ./x}}
                  b:
                    build: {context: svc}
                  c:
                    build: {context: ., dockerfile: svc/Dockerfile}
                """,
            "svc/Dockerfile": "FROM alpine\n",
            "other/Dockerfile": "FROM alpine\n",
        },
    )
    declarations = Declarations(repo)
    dockerfile = repo / "svc" / "Dockerfile"
    explicit = choose(dockerfile, repo / "other", declarations, repo)
    assert (explicit.root, explicit.source) == (repo / "other", "--context")
    declared = choose(dockerfile, None, declarations, repo)
    assert (declared.root, declared.source) == (repo, "compose.yaml, service a")
    assert declared.named_contexts == ("x",)
    assert declared.others == ("`svc` (compose.yaml, service b)",)  # c has a's context
    assert declared.notes("svc/Dockerfile", repo) == (
        "svc/Dockerfile: build context `.` (compose.yaml, service a)",
        "svc/Dockerfile: also built with context `svc` (compose.yaml, service b); "
        "pass --context to lint with it",
    )
    default = choose(repo / "other" / "Dockerfile", None, declarations, repo)
    assert (default.root, default.source) == (repo / "other", "default")


def test_named_contexts_are_not_images(tmp_path: Path) -> None:
    """`COPY --from=<name>` of a declared named context is neither an image to pin nor an
    unknown stage; an undeclared name still is."""
    from dflint import engine

    text = "FROM alpine:3.20\nCOPY --from=shared /x /x\nCOPY --from=tools /y /y\n"
    (tmp_path / "Dockerfile").write_text(text)

    def image_findings(named: tuple[str, ...]) -> list[tuple[str, int]]:
        context = engine.load_context(tmp_path, tmp_path / "Dockerfile", named_contexts=named)
        result = engine.lint_text(text, "Dockerfile", context=context)
        return sorted(
            (f.code, text.count("\n", 0, f.span.start) + 1)
            for f in result.findings
            if f.code in {"DF201", "DF206"}
        )

    # An unknown bare name is DF206's alone (which says it may be a named context).
    assert image_findings(()) == [("DF206", 2), ("DF206", 3)]
    assert image_findings(("shared",)) == [("DF206", 3)]


def test_compose_files_of_other_setups_come_after_the_default_ones(tmp_path: Path) -> None:
    """`docker-compose.prod.yml` (used with `-f`) declares builds too, after `compose.yaml`;
    each is read alone, not merged into the default file."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "app").mkdir()
    dockerfile = tmp_path / "app/Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\n")
    (tmp_path / "docker-compose.prod.yml").write_text(
        "services:\n  web:\n    build: {context: ., dockerfile: app/Dockerfile}\n"
    )
    (tmp_path / "compose-e2e.yaml").write_text("services:\n  e2e:\n    build: ./app\n")
    (tmp_path / "compose.yaml").write_text("services:\n  api:\n    build: app\n")
    (tmp_path / "composer.json").write_text("{}")  # PHP's, not compose's
    found = Declarations(tmp_path).find(dockerfile).declarations
    assert [(d.source.name, d.name, d.context) for d in found] == [
        ("compose.yaml", "service api", tmp_path / "app"),
        ("compose-e2e.yaml", "service e2e", tmp_path / "app"),
        ("docker-compose.prod.yml", "service web", tmp_path),
    ]


def test_bake_file_run_from_the_repository_root(tmp_path: Path) -> None:
    """`ci/image/docker-bake.hcl` naming `ci/image/Dockerfile`: run with `-f` from the
    root (its paths name nothing from its own folder); a target whose paths work from
    the bake file's folder keeps that reading."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "ci/image").mkdir(parents=True)
    (tmp_path / "ci/image/Dockerfile").write_text("FROM alpine:3.20\n")
    (tmp_path / "ci/image/local.Dockerfile").write_text("FROM alpine:3.20\n")
    (tmp_path / "ci/image/docker-bake.hcl").write_text(
        'target "release" {\n  dockerfile = "ci/image/Dockerfile"\n}\n'
        'target "local" {\n  dockerfile = "local.Dockerfile"\n}\n'
    )
    declarations = Declarations(tmp_path)
    (release,) = declarations.find(tmp_path / "ci/image/Dockerfile").declarations
    assert (release.context, release.name) == (
        tmp_path,
        "target release, run from the repository root",
    )
    (local,) = declarations.find(tmp_path / "ci/image/local.Dockerfile").declarations
    assert (local.context, local.name) == (tmp_path / "ci/image", "target local")


@pytest.mark.parametrize(
    ("matrix", "combinations"),
    [
        (None, [{}]),
        ("${{ fromJSON(needs.setup.outputs.matrix) }}", []),
        ({"os": ["a", "b"], "v": [1, 2]}, [{"os": "a", "v": 1}, {"os": "a", "v": 2},
                                           {"os": "b", "v": 1}, {"os": "b", "v": 2}]),
        ({"os": ["a", "b"], "exclude": [{"os": "b"}]}, [{"os": "a"}]),
        # include: extends the combinations it matches, else adds one
        ({"os": ["a", "b"], "include": [{"os": "a", "x": 1}, {"os": "c"}]},
         [{"os": "a", "x": 1}, {"os": "b"}, {"os": "c"}]),
        ({"include": [{"p": "A"}, {"p": "B"}]}, [{"p": "A"}, {"p": "B"}]),
        ({"n": list(range(300))}, []),  # too big to read
    ],
)  # fmt: skip
def test_matrix_combinations(matrix: Any, combinations: list[dict[str, Any]]) -> None:
    strategy = None if matrix is None else {"matrix": matrix}
    assert matrix_combinations(strategy) == combinations


def test_workflow_matrix_names_each_dockerfile(tmp_path: Path) -> None:
    """`file: ${{ matrix.base }}/${{ matrix.name }}/Dockerfile` over an include list."""
    (tmp_path / ".github/workflows").mkdir(parents=True)
    for folder in ("src/Api", "util/Setup"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "Dockerfile").write_text("FROM alpine:3.20\n")
    (tmp_path / ".github/workflows/build.yml").write_text(
        "jobs:\n  build:\n    strategy:\n      matrix:\n        include:\n"
        "          - {name: Api, base: ./src}\n          - {name: Setup, base: ./util}\n"
        "    steps:\n      - name: Build\n        uses: docker/build-push-action@v6\n"
        "        with:\n          context: .\n"
        "          file: ${{ matrix.base }}/${{ matrix.name }}/Dockerfile\n"
        "          tags: ${{ steps.meta.outputs.tags }}\n"
    )
    declarations = Declarations(tmp_path)
    (api,) = declarations.find(tmp_path / "src/Api/Dockerfile").declarations
    assert (api.context, api.name) == (tmp_path, "job build, Build (matrix name=Api, base=./src)")
    (setup,) = declarations.find(tmp_path / "util/Setup/Dockerfile").declarations
    assert setup.context == tmp_path


def test_images_the_project_builds_are_not_pulled(tmp_path: Path) -> None:
    """`FROM app-base` where a compose service builds and tags `app-base`: a local image
    chain, not an untagged image to pin (DF201) nor `latest` (DF202)."""
    from dflint import engine

    (tmp_path / ".git").mkdir()
    for folder in ("base", "app"):
        (tmp_path / folder).mkdir()
    (tmp_path / "base/Dockerfile").write_text("FROM alpine:3.20\n")
    text = "FROM app-base\nFROM app-base:latest\nFROM redis\nFROM other/app-base\n"
    (tmp_path / "app/Dockerfile").write_text(text)
    (tmp_path / "compose.yaml").write_text(
        "services:\n  base:\n    build: ./base\n    image: app-base\n  app:\n    build: ./app\n"
    )
    choice = choose(tmp_path / "app/Dockerfile", None, Declarations(tmp_path), tmp_path)
    assert choice.project_images == ("app-base",)

    def lines(project_images: tuple[str, ...]) -> list[tuple[str, int]]:
        context = engine.load_context(
            choice.root, tmp_path / "app/Dockerfile", project_images=project_images
        )
        result = engine.lint_text(text, "app/Dockerfile", context=context)
        return sorted(
            (f.code, text.count("\n", 0, f.span.start) + 1)
            for f in result.findings
            if f.code in {"DF201", "DF202"}
        )

    everything = lines(())
    assert ("DF201", 1) in everything
    assert ("DF202", 2) in everything
    assert lines(choice.project_images) == [
        (code, line) for code, line in everything if line not in (1, 2)
    ]
    # bake tags too
    (tmp_path / "docker-bake.hcl").write_text(
        'target "base" {\n  context = "base"\n  tags = ["app-base:latest", "${X}"]\n}\n'
    )
    assert "app-base:latest" in Declarations(tmp_path).find(tmp_path / "app/Dockerfile").images


def test_declaration_in_a_sibling_folder(tmp_path: Path) -> None:
    """`etc/docker/docker-compose.yml` builds `services/api/src/Dockerfile` with
    `context: ../..`: found by the repository walk, after the folders above it."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "services/api/src").mkdir(parents=True)
    dockerfile = tmp_path / "services/api/src/Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\n")
    (tmp_path / "etc/docker").mkdir(parents=True)
    (tmp_path / "etc/docker/docker-compose.yml").write_text(
        "services:\n  api:\n    build:\n      context: ../..\n"
        "      dockerfile: services/api/src/Dockerfile\n"
    )
    (tmp_path / "node_modules/x").mkdir(parents=True)  # never walked
    (tmp_path / "node_modules/x/compose.yaml").write_text("services: [\n")
    (found,) = Declarations(tmp_path).find(dockerfile).declarations
    assert (found.context, found.name) == (tmp_path, "service api")
    # A declaration above the Dockerfile wins; the walk is not needed then.
    (tmp_path / "services/api/compose.yaml").write_text("services:\n  near:\n    build: ./src\n")
    (near,) = Declarations(tmp_path).find(dockerfile).declarations
    assert near.name == "service near"
