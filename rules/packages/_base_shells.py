"""Which shell `/bin/sh` is in a stage's base image, when the image is a known one.

`shellcheck` checks a default-shell RUN (`/bin/sh -c`) as the shell that really runs it:
- bash on the Red Hat family and a few others (`/bin/sh` is a link to bash there, which
  accepts `[[ ]]`, `source` and `pipefail` even when started as `sh`);
- BusyBox ash on Alpine and BusyBox images (`pipefail`, `source` and `[[ ]]` are built
  in; ShellCheck's `busybox` dialect knows which);
- dash on Debian, Ubuntu and the official images built on them (most of Docker Hub's
  official images; their `-alpine` tags are Alpine).

For any other base (a project's own image, one from a build argument) the shell is
unknown: :func:`sh_of` returns ``None`` and the POSIX-portability warnings (SC3xxx),
which are only true for some `/bin/sh`, are not reported.

Facts from the images' own Dockerfiles and distribution packaging, 2026-12.
"""

from __future__ import annotations

from dflint.model import Model, Stage
from dflint.model.images import DEFAULT_REGISTRY, ImageRef, is_windows_image

from ..images._official_images import official_name

BASH = "bash"
BUSYBOX = "busybox"
DASH = "sh"

# Official images whose `/bin/sh` is bash (Red Hat family, Amazon Linux, Photon, Arch,
# openSUSE; mysql's default variant is Oracle Linux).
_BASH_OFFICIAL = frozenset(
    {
        "fedora", "centos", "rockylinux", "almalinux", "oraclelinux", "amazonlinux",
        "amazoncorretto", "photon", "archlinux", "opensuse/leap", "opensuse/tumbleweed",
        "mageia", "clearlinux", "mysql",
    }
)  # fmt: skip
_BASH_REGISTRIES = (
    "registry.access.redhat.com/",
    "registry.redhat.io/",
    "quay.io/centos/",
    "quay.io/fedora/",
    "public.ecr.aws/amazonlinux/",
)
# Official images published on Alpine only (no `-alpine` in their tags).
_ALPINE_OFFICIAL = frozenset(
    {"alpine", "busybox", "docker", "registry", "traefik", "caddy", "eclipse-mosquitto", "bash"}
)
# Vendor images built on Debian or Ubuntu unless the tag names another distribution.
_DEBIAN_REGISTRIES = ("mcr.microsoft.com/dotnet/", "mcr.microsoft.com/devcontainers/")
_BASH_TAG_WORDS = ("azurelinux", "cbl-mariner", "mariner", "ubi", "oraclelinux", "amazonlinux")


def sh_of(model: Model, stage: Stage) -> str | None:
    """The shell behind `/bin/sh` in ``stage``'s image (``bash``, ``busybox`` or ``sh`` for
    dash), or ``None`` when its base is not one whose shell is known."""
    image = model.lineage(stage)[-1].image
    if image is None or image.has_variables:
        return None
    return _image_sh(image)


def _image_sh(image: ImageRef) -> str | None:
    if is_windows_image(image):
        return None  # no `/bin/sh` at all (`mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-*`)
    tag = (image.tag or "").lower()
    if "alpine" in tag:
        return BUSYBOX
    if image.domain == DEFAULT_REGISTRY:
        name = official_name(image)
        if "/" in name and name not in _BASH_OFFICIAL:
            return None  # an organisation's image: anything
        if name in _ALPINE_OFFICIAL:
            return BUSYBOX
        if name in _BASH_OFFICIAL:
            return DASH if name == "mysql" and "debian" in tag else BASH
        return BASH if any(word in tag for word in _BASH_TAG_WORDS) else DASH
    name = image.name
    if name.startswith(_BASH_REGISTRIES):
        return BASH
    if name.startswith(_DEBIAN_REGISTRIES):
        return BASH if any(word in tag for word in _BASH_TAG_WORDS) else DASH
    return None
