"""Table tests for the images rules' facts about images and Dockerfile names: which
Dockerfiles build a development/CI/test/debug/builder image (``_toolchain_images``) and
which image tags ship a toolchain (``sdk-image-in-final-stage``)."""

from __future__ import annotations

import pytest

from dflint.engine import build
from dflint.model.images import parse_ref
from dflint_rules.images._toolchain_images import toolchain_purpose
from dflint_rules.images.sdk_image_in_final_stage import _sdk

APP = 'FROM python:3.12-slim\nRUN apt-get install -y gcc\nCOPY . /app\nCMD ["python", "/app"]\n'


@pytest.mark.parametrize(
    ("path", "text", "purpose"),
    [
        ("Dockerfile", APP, False),
        ("docker/Dockerfile", APP, False),
        ("build/Dockerfile", APP, False),  # `build/` often holds the release image
        ("/home/me/dev/Dockerfile", APP, False),  # a folder of projects, not a dev image
        ("Dockerfile.prod", APP, False),
        ("Dockerfile.debian", APP, False),
        ("Dockerfile.rebuild", APP, False),
        ("Dockerfile.dev", APP, True),
        ("dev.Dockerfile", APP, True),
        ("Dockerfile-debug", APP, True),
        ("Dockerfile.ci", APP, True),
        ("docker/Dockerfile.test", APP, True),
        ("dockerfiles/Dockerfile-gui-tests", APP, True),
        ("builder-go.dockerfile", APP, True),
        ("Dockerfile.build", APP, True),
        ("Dockerfile.devcontainer", APP, True),
        (".gitpod.Dockerfile", APP, True),
        (".devcontainer/Dockerfile", APP, True),
        ("repo/.devcontainer/app/Dockerfile", APP, True),
        (".codesandbox/Dockerfile", APP, True),
        ("docker/ci/Dockerfile", APP, True),
        ("tools/dev-dependencies/Dockerfile", APP, True),
        ("src/checkout/genproto/Dockerfile", APP, True),
        ("test/requirements/Dockerfile-nginx-proxy-tester", APP, True),
        ("tests/gpu/misc/Dockerfile.cuda11", APP, True),
        ("integration-tests/mock/Dockerfile", APP, True),
        ("/tmp/test/app/Dockerfile", APP, False),  # above the project: says nothing
        ("contests/app/Dockerfile", APP, False),
        ("ci/release-image/Dockerfile", APP, False),  # the release image CI builds
        ("build-image-src/Dockerfile-python312", APP, True),
        ("hack/lint.Dockerfile", APP, True),  # a lint image, built to a cache only
        ("Dockerfile.lint", APP, True),
        ("playwright/compose/warden/Dockerfile", APP, True),  # a test runner's services
        ("tools/TestSuite/images/sql-server/Dockerfile", APP, True),
        ("benchmarks/Dockerfile", APP, True),
        ("tools/linter-config/Dockerfile", APP, True),
        ("blinter/Dockerfile", APP, False),  # a word, not a part of one
        ("Dockerfile", "FROM python:3.12-slim AS dev\n", True),
        ("Dockerfile", "FROM python:3.12-slim AS base\nFROM base AS bench-test\n", True),
        # the final stage built FROM a stage named `build` ships that toolchain
        ("Dockerfile", 'FROM node:22 AS build\nFROM build AS app\nCMD ["node"]\n', False),
        ("Dockerfile", "FROM mcr.microsoft.com/devcontainers/base:bookworm\n", True),
        ("Dockerfile", "FROM mcr.microsoft.com/vscode/devcontainers/python:3\n", True),
        # a base image for other builds: packages only, on a plain OS/language image
        ("Dockerfile", "FROM node:22\nRUN apt-get install -y build-essential\n", True),
        ("Dockerfile", "FROM ubuntu:24.04 AS base\nFROM base\nRUN make\n", True),
        # an application (copies files, sets a command) or a service image's extension
        ("Dockerfile", "FROM node:22\nRUN apt-get install -y g++\nCOPY . /app\n", False),
        ("Dockerfile", 'FROM node:22\nRUN apt-get install -y g++\nCMD ["node"]\n', False),
        ("Dockerfile", "FROM fluentd:v1.16\nRUN apk add build-base\n", False),
    ],
)
def test_toolchain_purpose(path: str, text: str, purpose: bool) -> None:
    assert (toolchain_purpose(build(text, path)) is not None) is purpose


@pytest.mark.parametrize(
    ("image", "sdk"),
    [
        # buildpack-deps: only the full variant has compilers
        ("buildpack-deps:bookworm", True),
        ("buildpack-deps", True),
        ("buildpack-deps:bookworm-curl", False),
        ("buildpack-deps:bookworm-scm", False),
        ("buildpack-deps:noble-scm", False),
        # official images built on the full buildpack-deps
        ("node:22", True),
        ("node:22-bookworm", True),
        ("node:lts", True),
        ("node:22-bookworm-slim", False),
        ("node:22-slim", False),
        ("node:22-alpine3.20", False),
        ("python:3.12", True),
        ("python:3.12-bookworm", True),
        ("python:3.12-slim-bookworm", False),
        ("python:3.12-alpine", False),
        ("python:3.12-windowsservercore-ltsc2022", False),
        ("ruby:3.3", True),
        ("ruby:3.3-slim", False),
        ("perl:5.40", True),
        ("perl:5.40-slim-threaded", False),
        ("erlang:27", True),
        ("elixir:1.17-otp-27", True),
        ("elixir:1.17-slim", False),
        ("pypy:3.10-slim", False),
        # toolchain images in every variant
        ("golang:1.23-alpine", True),
        ("rust:1.80-slim", True),
        ("gcc:14", True),
        # JDK vs JRE
        ("openjdk:17-jdk", True),
        ("openjdk:8-jre-alpine", False),
        ("eclipse-temurin:21", True),
        ("eclipse-temurin:21-jre", False),
        ("amazoncorretto:21", True),
        ("amazoncorretto:8-alpine3.19-jre", False),
        ("mcr.microsoft.com/dotnet/sdk:8.0", True),
        ("mcr.microsoft.com/dotnet/aspnet:8.0", False),
        # not toolchain images
        ("debian:bookworm-slim", False),
        ("php:8.3-apache", False),
        ("nginx:1.27", False),
    ],
)
def test_sdk_image(image: str, sdk: bool) -> None:
    assert (_sdk(parse_ref(image)) is not None) is sdk
