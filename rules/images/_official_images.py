"""Docker Hub's official images as the images rules name them.

The official images are also published per architecture under organisations of their
own (``arm32v7/debian``, ``amd64/python``): the same image, built for one platform. The
rules that know facts about an official image (its end of life, whether it ships a
toolchain) look those up by the familiar name without that prefix.
"""

from __future__ import annotations

from dflint.model.images import DEFAULT_REGISTRY, ImageRef

# https://github.com/docker-library/official-images#architectures-other-than-amd64
ARCH_ORGANISATIONS = frozenset(
    {
        "amd64", "arm32v5", "arm32v6", "arm32v7", "arm64v8", "i386", "mips64le", "ppc64le",
        "riscv64", "s390x", "windows-amd64",
    }
)  # fmt: skip


def official_name(ref: ImageRef) -> str:
    """``ref``'s familiar name, without an architecture organisation (``arm32v7/debian``
    is ``debian``)."""
    name = ref.name
    if ref.domain != DEFAULT_REGISTRY:
        return name
    org, _, rest = name.partition("/")
    if rest and "/" not in rest and org in ARCH_ORGANISATIONS:
        return rest
    return name


# Images that hold a whole operating system (a distribution, or a language image built
# on one), by their familiar name (:func:`official_name`): what a rule may say a copy of
# their root brings along. Any other image's contents are not known from a Dockerfile.
SYSTEM_IMAGES = frozenset(
    {
        "alpine", "debian", "ubuntu", "centos", "fedora", "rockylinux", "almalinux",
        "amazonlinux", "oraclelinux", "opensuse/leap", "opensuse/tumbleweed", "archlinux",
        "buildpack-deps", "node", "python", "ruby", "golang", "rust", "gcc", "openjdk",
        "eclipse-temurin", "amazoncorretto", "perl", "php", "erlang", "elixir",
        "registry.access.redhat.com/ubi8/ubi", "registry.access.redhat.com/ubi9/ubi",
        "public.ecr.aws/amazonlinux/amazonlinux", "quay.io/centos/centos",
    }
)  # fmt: skip
