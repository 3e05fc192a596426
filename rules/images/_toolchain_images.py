"""Whether a Dockerfile builds an image whose purpose is its toolchain.

A dev container, a CI or test runner, a debug image or a builder image ships compilers on
purpose: ``build-tools-in-final-stage`` and ``sdk-image-in-final-stage`` stay silent for
them. Only what the files say counts, never a guess about how the image is used:

- the Dockerfile's path: a ``.devcontainer`` folder, a ``devcontainer.json`` (or
  ``.devcontainer.json``) beside it in the build context, a file or folder name with a
  ``dev``/``debug``/``ci``/``test``/``lint``/``bench``/``builder`` word (``Dockerfile.dev``,
  ``dev.Dockerfile``, ``Dockerfile-debug``, ``ci/Dockerfile``, ``hack/lint.Dockerfile``,
  ``builder-go.dockerfile``) or a test runner's (``playwright``, ``cypress``), a code
  generator's folder (``genproto/Dockerfile``, ``codegen/Dockerfile``), an online dev
  environment's folder (``.devcontainer/``, ``.codesandbox/``, ``.gitpod/``), or, in a
  relative path (as given, below the folder dflint runs in), any test folder
  (``tests/gpu/misc/Dockerfile``, ``playwright/compose/warden/Dockerfile``,
  ``tools/TestSuite/images/sql-server/Dockerfile``);
- a final stage built on a dev container image (``mcr.microsoft.com/devcontainers/...``);
- the builds declared for it (see :mod:`dflint.model.declarations`) all keep only the
  build cache (a bake target with ``output = ["type=cacheonly"]``, run for its checks);
- a final image that only adds packages to a plain OS or language image (``FROM node:22``
  or ``FROM ubuntu:24.04``, no ``COPY``/``ADD``, no ``CMD``/``ENTRYPOINT``): a base image
  for other Dockerfiles to build in;
- the final stage's own name: ``dev``, ``development``, ``debug``, ``ci``, ``test``,
  ``bench-test``, ``builder``... (not that of a stage it is built ``FROM``:
  ``FROM build AS app`` ships the build stage's toolchain, which is the problem).

Only the Dockerfile's own folder is read among the folders (``dev`` in ``/home/me/dev/``
above the project says nothing about the image).
"""

from __future__ import annotations

import re
from pathlib import PurePath

from dflint import ast
from dflint.model import Model

from ._official_images import SYSTEM_IMAGES, official_name

# Words of a file, folder or stage name that say the image is a development, CI, test,
# debug or build environment.
_WORDS = frozenset(
    {
        "dev", "devel", "develop", "development", "devcontainer", "debug", "ci", "test",
        "tests", "testing", "e2e", "builder", "build", "toolchain", "devenv", "sandbox",
        "codegen", "gitpod", "tester", "testsuite", "lint", "linter", "linters",
        "playwright", "cypress", "bench", "benchmark", "benchmarks",
    }
)  # fmt: skip
# Words of the Dockerfile's own folder name with the same meaning (`ci/`,
# `dev-dependencies/`, `build-image-src/`), but not a folder named just `build`
# (`build/Dockerfile` often builds the release image) or just `dev` (a common home for all
# of one's projects); code generators (`genproto/Dockerfile` runs protoc over a mounted
# folder) count too.
_FOLDER_WORDS = _WORDS | {"genproto", "protogen"}
# Words of any folder of a relative path (the path as given, below the folder dflint was
# run in: `tests/gpu/misc/Dockerfile.cuda11`); an absolute path's folders above the
# Dockerfile's own say nothing about the project (`/tmp/test/app/Dockerfile`).
_TEST_WORDS = frozenset(
    {"test", "tests", "testing", "e2e", "testdata", "testsuite", "playwright", "cypress"}
)
# Folders of online dev environments, anywhere in the path.
_DEV_ENVIRONMENTS = frozenset({".devcontainer", ".codesandbox", ".gitpod"})
_DEVCONTAINER_IMAGES = (
    "mcr.microsoft.com/devcontainers/",
    "mcr.microsoft.com/vscode/devcontainers/",
)
# Operating system and language images whose own command is a shell or a REPL: a
# Dockerfile that only adds packages to one of them, copies nothing and sets no command
# builds a base image for other Dockerfiles to build in (`FROM node:22` plus the packages
# a test runner needs), whose toolchain is there on purpose.
_PLAIN_BASES = SYSTEM_IMAGES  # plain OS and language images
_SPLIT = re.compile(r"[^a-z0-9]+")


def _words(name: str) -> set[str]:
    return set(_SPLIT.split(name.lower())) - {""}


def toolchain_purpose(model: Model) -> str | None:
    """Why the image looks like a dev/CI/test/debug/build environment, or ``None``
    (asked by several rules of each file: worked out once per file)."""
    return model.memo("images/toolchain_purpose", _toolchain_purpose)


def _toolchain_purpose(model: Model) -> str | None:
    if model.context is not None and not model.context.ships_image:
        return "every build declared for it keeps only the build cache (`type=cacheonly`)"
    path = PurePath(model.source.path.replace("\\", "/"))
    folder_reason = _dev_environment_folder(path)
    if folder_reason is not None:
        return folder_reason
    folder = path.parent.name.lower() if len(path.parts) > 1 else ""
    if folder not in ("dev", "build") and _words(folder) & _FOLDER_WORDS:
        return f"its folder is `{path.parent.name}/`"
    if not path.is_absolute():
        for part in path.parts[:-1]:
            if _words(part) & _TEST_WORDS:
                return f"it is under the test folder `{part}/`"
    found = _words(path.name) & _WORDS
    if found:
        return f"its file name `{path.name}` says so"
    if _devcontainer_beside(model):
        return "a `devcontainer.json` is beside it"
    final = model.final_stage
    root = model.lineage(final)[-1].image if final is not None else None
    image_reason = _devcontainer_image(model)
    if image_reason is not None:
        return image_reason
    if final is not None and final.name is not None and _words(final.name) & _WORDS:
        return f"its final stage is `{final.name}`"
    if root is not None and _base_image(model, official_name(root)):
        return f"it only adds packages to `{root.name}` (a base image for other builds)"
    return _language_image(model)


# `ENV <name>` that the image of a language or SDK sets for the version it installs
# (docker-library's python, golang, node, ruby, php; the .NET SDK; Rust; Java).
_LANGUAGE_VERSIONS = {
    "PYTHON_VERSION": "Python", "GOLANG_VERSION": "Go", "GO_VERSION": "Go",
    "NODE_VERSION": "Node.js", "RUBY_VERSION": "Ruby", "PHP_VERSION": "PHP",
    "DOTNET_SDK_VERSION": ".NET SDK", "RUST_VERSION": "Rust", "JAVA_VERSION": "Java",
    "PERL_VERSION": "Perl", "OTP_VERSION": "Erlang", "ELIXIR_VERSION": "Elixir",
    "JULIA_VERSION": "Julia", "SWIFT_VERSION": "Swift", "DENO_VERSION": "Deno",
    "BUN_VERSION": "Bun", "GHC_VERSION": "Haskell", "MAVEN_VERSION": "Maven",
    "GRADLE_VERSION": "Gradle",
}  # fmt: skip


def _language_image(model: Model) -> str | None:
    """Why the Dockerfile builds a language's or SDK's own image: a stage that ships sets
    the version of the language it installs (`ENV PYTHON_VERSION 3.14.6`). Compilers and
    headers are then what the image is for (the official images' full variants)."""
    for stage in model.shipping_stages():
        for node in stage.instructions:
            if not isinstance(node, ast.Env):
                continue
            for pair in node.pairs:
                language = _LANGUAGE_VERSIONS.get(pair.key.text.upper())
                if language is not None:
                    return f"it builds the {language} image itself (`ENV {pair.key.text}`)"
    return None


def dev_environment(model: Model) -> str | None:
    """Why the Dockerfile builds a development environment (a dev container), or ``None``."""
    reason = _dev_environment_folder(PurePath(model.source.path.replace("\\", "/")))
    if reason is not None:
        return reason
    if _devcontainer_beside(model):
        return "a `devcontainer.json` is beside it"
    return _devcontainer_image(model)


def _dev_environment_folder(path: PurePath) -> str | None:
    for part in path.parts[:-1]:
        if part.lower() in _DEV_ENVIRONMENTS:
            return f"it is a development environment (`{part}/`)"
    return None


def _devcontainer_image(model: Model) -> str | None:
    final = model.final_stage
    root = model.lineage(final)[-1].image if final is not None else None
    if root is not None and root.full_name.startswith(_DEVCONTAINER_IMAGES):
        return f"it is built on the dev container image `{root.name}`"
    return None


def _base_image(model: Model, root: str) -> bool:
    """The final image starts from a plain OS or language image, copies nothing in and
    sets no command: a base image for other Dockerfiles, not an application."""
    if root not in _PLAIN_BASES:
        return False
    for stage in model.shipping_stages():
        for node in stage.instructions:
            if isinstance(node, (ast.Cmd, ast.Entrypoint, ast.Copy)):
                return False
    return True


def _devcontainer_beside(model: Model) -> bool:
    context = model.context
    if context is None or context.dockerfile is None:
        return False
    try:
        folder = context.dockerfile.parent.relative_to(context.root)
    except ValueError:
        return False  # the Dockerfile is outside the context: its folder is not listed
    prefix = "" if folder == PurePath(".") else folder.as_posix() + "/"
    return any(
        context.exists(prefix + name) for name in ("devcontainer.json", ".devcontainer.json")
    )
