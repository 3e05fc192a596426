"""The build context each file is linted with, end to end through ``dflint check``:
``--context``, else a compose/bake/workflow declaration naming the Dockerfile, else its
folder; shown by ``--verbose``, the JSON report's ``files`` and SARIF's artifacts, and
used by the rules and by DF403's starter file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dflint.cli import main

SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"


def check(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["check", "--isolated", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose compose file builds `deploy/api.Dockerfile` from the root,
    where `node_modules` (and no ignore file) is; `deploy/` itself holds nothing."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "deploy").mkdir()
    (root / "node_modules" / "left-pad").mkdir(parents=True)
    (root / "package.json").write_text("{}\n")
    (root / "deploy" / "api.Dockerfile").write_text(
        "FROM node:22-slim\nCOPY --from=shared /x /x\nCOPY . /app/\n"
    )
    (root / "compose.yaml").write_text(
        "services:\n  api:\n    build:\n      context: .\n"
        "      dockerfile: deploy/api.Dockerfile\n"
        "      additional_contexts:\n        shared: ../shared\n"
    )
    monkeypatch.chdir(root)
    return root


def test_declared_context_is_used_and_shown(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = check(
        ["--select", "DF403,DF201,DF206", "--verbose", "deploy/api.Dockerfile"], capsys
    )
    assert "deploy/api.Dockerfile: build context `.` (compose.yaml, service api)" in err
    # The root has no ignore file and `node_modules`: reported there, not in `deploy/`.
    assert "DF403" in out
    assert "node_modules" in out
    # `shared` is a named context of the build: no image, no unknown stage.
    assert "DF201" not in out
    assert "DF206" not in out
    assert code == 1


def test_json_files_list(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "other").mkdir()
    (repo / "other" / "Dockerfile").write_text("FROM alpine:3.20\n")
    _, out, _ = check(
        ["--select", "DF403", "--format", "json", "deploy/api.Dockerfile", "other/Dockerfile"],
        capsys,
    )
    files = json.loads(out)["files"]
    assert files == [
        {
            "path": "deploy/api.Dockerfile",
            "context": {
                "root": ".",
                "source": "compose.yaml, service api",
                "named_contexts": ["shared"],
                "others": [],
                "warnings": [],
            },
        },
        {
            "path": "other/Dockerfile",
            "context": {
                "root": "other",
                "source": "default",
                "named_contexts": [],
                "others": [],
                "warnings": [],
            },
        },
    ]


def test_explicit_context_wins(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = check(
        ["--select", "DF403", "--format", "json", "--context", "deploy", "deploy/api.Dockerfile"],
        capsys,
    )
    doc = json.loads(out)
    assert doc["files"][0]["context"]["source"] == "--context"
    assert doc["files"][0]["context"]["root"] == "deploy"
    # `deploy/` has no ignore file either, but holds nothing one would leave out.
    assert doc["findings"] == []


def test_stdin_without_a_name_has_no_context(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"FROM alpine:3.20\n")))
    _, out, _ = check(["--format", "json", "-"], capsys)
    assert json.loads(out)["files"] == [{"path": "<stdin>", "context": None}]


def test_several_declarations_and_broken_files_are_noted(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "docker-compose.dev.yml").write_text(
        "services:\n  dev:\n    build: {context: deploy, dockerfile: api.Dockerfile}\n"
    )
    (repo / "docker-bake.hcl").write_text('target "x" {\n  context = \n')  # broken
    _, out, err = check(
        ["--select", "DF403", "--format", "json", "--verbose", "deploy/api.Dockerfile"], capsys
    )
    context = json.loads(out)["files"][0]["context"]
    assert context["source"] == "compose.yaml, service api"
    assert context["others"] == ["`deploy` (docker-compose.dev.yml, service dev)"]
    (warning,) = context["warnings"]
    assert warning.startswith(f"{repo / 'docker-bake.hcl'}: not read as a build declaration")
    assert "also built with context `deploy` (docker-compose.dev.yml, service dev)" in err
    assert "docker-bake.hcl: not read as a build declaration" in err


def test_a_declared_context_that_does_not_exist(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "compose.yaml").write_text(
        "services:\n  api:\n    build: {context: gone, dockerfile: ../deploy/api.Dockerfile}\n"
    )
    code, out, _ = check(["--select", "DF403", "--format", "json", "deploy/api.Dockerfile"], capsys)
    doc = json.loads(out)
    assert doc["findings"] == []  # nothing known about the context: nothing asserted
    (warning,) = doc["files"][0]["context"]["warnings"]
    assert "cannot be read" in warning
    assert "linted without it" in warning
    assert code == 0


def test_starter_file_goes_to_the_declared_context(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = check(
        ["--select", "DF403", "--fix", "--unsafe-fixes", "deploy/api.Dockerfile"], capsys
    )
    assert (repo / ".dockerignore").exists()
    assert not (repo / "deploy" / ".dockerignore").exists()
    assert "node_modules" in (repo / ".dockerignore").read_text()
    assert code == 0


def test_sarif_artifacts_carry_the_context(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    _, out, _ = check(["--select", "DF403", "--format", "sarif", "deploy/api.Dockerfile"], capsys)
    log: dict[str, Any] = json.loads(out)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text())).validate(log)
    (artifact,) = log["runs"][0]["artifacts"]
    assert artifact["location"]["uri"] == "deploy/api.Dockerfile"
    assert artifact["properties"]["buildContext"]["source"] == "compose.yaml, service api"
    assert artifact["properties"]["buildContext"]["root"] == "."


def test_bake_and_workflow_declarations(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "compose.yaml").unlink()
    (repo / "docker-bake.hcl").write_text(
        'variable "CTX" {\n  default = "."\n}\n'
        'target "api" {\n  context = "${CTX}"\n  dockerfile = "deploy/api.Dockerfile"\n}\n'
    )
    _, out, _ = check(["--format", "json", "--select", "DF403", "deploy/api.Dockerfile"], capsys)
    assert json.loads(out)["files"][0]["context"]["source"] == "docker-bake.hcl, target api"
    (repo / "docker-bake.hcl").unlink()
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(
        "jobs:\n  build:\n    steps:\n      - uses: docker/build-push-action@v6\n"
        "        with:\n          context: .\n          file: deploy/api.Dockerfile\n"
    )
    _, out, _ = check(["--format", "json", "--select", "DF403", "deploy/api.Dockerfile"], capsys)
    source = json.loads(out)["files"][0]["context"]["source"]
    assert source.startswith(".github/workflows/ci.yml, job build")


def test_the_dockerfiles_own_ignore_file_applies_with_the_declared_context(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """BuildKit reads `<Dockerfile>.dockerignore` next to the Dockerfile first, whatever
    the context: `deploy/api.Dockerfile.dockerignore` covers the root context."""
    (repo / "deploy" / "api.Dockerfile.dockerignore").write_text("node_modules\n")
    _, out, _ = check(["--select", "DF403", "--format", "json", "deploy/api.Dockerfile"], capsys)
    assert json.loads(out)["findings"] == []
    (repo / "deploy" / "api.Dockerfile.dockerignore").unlink()
    _, out, _ = check(["--select", "DF403", "--format", "json", "deploy/api.Dockerfile"], capsys)
    assert [f["code"] for f in json.loads(out)["findings"]] == ["DF403"]


def test_a_cache_only_bake_target_ships_no_image(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bake target whose outputs are all `type=cacheonly` is run for its checks: the
    rules about what an image ships (DF205) say nothing; with an image output they do."""
    (repo / "compose.yaml").unlink()
    (repo / "checks").mkdir()
    (repo / "checks" / "Dockerfile").write_text(
        "FROM alpine:3.21\nRUN apk add --no-cache build-base\nCOPY . /src\n"
        'RUN make -C /src check\nCMD ["/src/report"]\n'
    )
    bake = 'target "checks" {\n  dockerfile = "checks/Dockerfile"\n  output = [%s]\n}\n'
    (repo / "docker-bake.hcl").write_text(bake % '"type=cacheonly"')
    _, out, _ = check(["--select", "DF205", "--format", "json", "checks/Dockerfile"], capsys)
    assert json.loads(out)["findings"] == []
    (repo / "docker-bake.hcl").write_text(bake % '"type=image,name=x/checks"')
    _, out, _ = check(["--select", "DF205", "--format", "json", "checks/Dockerfile"], capsys)
    assert [f["code"] for f in json.loads(out)["findings"]] == ["DF205"]


def test_a_declared_env_file_is_expected_in_the_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The compose service reads `.env` (gitignored, not in the checkout): once a user
    creates it, `COPY . .` takes it along, so the context needs an ignore file."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "docker").mkdir()
    (root / "docker" / "Dockerfile.dev").write_text("FROM node:22-alpine\nCOPY . /app/\n")
    (root / "docker" / "server.js").write_text("console.log(1)\n")
    compose = "services:\n  app:\n    build:\n      context: .\n      dockerfile: Dockerfile.dev\n"
    (root / "docker" / "compose.yml").write_text(compose)
    monkeypatch.chdir(root)
    code, out, err = check(["--select", "DF403", "--verbose", "docker/Dockerfile.dev"], capsys)
    assert "holds nothing that images usually leave out" in err
    assert code == 0
    (root / "docker" / "compose.yml").write_text(compose + "    env_file: .env\n")
    code, out, _ = check(["--select", "DF403", "docker/Dockerfile.dev"], capsys)
    assert "it would copy `.env` once a user creates it" in out
    assert "`env_file`" in out
    check(["--select", "DF403", "--fix", "--unsafe-fixes", "docker/Dockerfile.dev"], capsys)
    assert ".env\n" in (root / "docker" / ".dockerignore").read_text()
