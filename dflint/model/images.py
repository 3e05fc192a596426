"""Image references, parsed the way Docker's ``distribution/reference`` package does.

Grammar (``reference.ParseNormalizedNamed``)::

    reference  := name [ ":" tag ] [ "@" digest ]
    name       := [ domain "/" ] path-component [ "/" path-component ]*
    domain     := host [ ":" port ]      host: DNS labels, an IPv4 or a [IPv6] address
    path-comp  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
    tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
    digest     := algorithm ":" hex      (sha256: 64, sha384: 96, sha512: 128 lowercase hex)

The first ``/``-separated component is a registry only when it contains ``.`` or ``:``,
is ``localhost``, or has upper-case letters (Docker then rejects it as a bad host or
keeps it, exactly as here); otherwise the registry is ``docker.io`` and a one-component
path gets ``library/``. So ``host:5000/app`` has registry ``host:5000`` and **no tag**.

Invalid references are not ``None``: :func:`parse_ref` always returns an
:class:`ImageRef`, with ``valid=False`` and Docker's ``reason`` when the reference is
rejected, so a rule can point at it and say why. A reference that still contains
variables (``${REG}/app:${TAG}``) is split structurally but never judged:
``has_variables`` is true and ``valid`` stays true.
"""

from __future__ import annotations

import re

from dflint.lazy_re import lazy
from dflint.records import record
from dflint.source import Span

DEFAULT_REGISTRY = "docker.io"
OFFICIAL_PREFIX = "library/"
NAME_TOTAL_LENGTH_MAX = 255

_PATH_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(
    rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
)
_TAG = re.compile(r"[\w][\w.-]{0,127}", re.ASCII)
_DIGEST_ALGORITHM = lazy(r"[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*")
_DIGEST_HEX_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_ANY_HEX = re.compile(r"[0-9a-fA-F]{32,}")


@record
class ImageRef:
    """A parsed image reference.

    ``text`` is what was parsed (after variable expansion when the model resolved it);
    ``written`` the text as it appears in the Dockerfile. ``span`` is the word the
    reference came from; ``tag_span``/``digest_span`` point inside it only when
    ``text`` maps 1:1 onto the source (no variables, no line continuation).
    """

    text: str
    registry: str | None  # as written; None when implied (Docker Hub)
    path: str  # repository path without registry, as written (``node``, ``org/app``)
    tag: str | None
    digest: str | None
    valid: bool = True
    reason: str | None = None
    has_variables: bool = False  # unresolved ``$`` references remain in ``text``
    written: str = ""
    span: Span | None = None
    tag_span: Span | None = None
    digest_span: Span | None = None

    @property
    def domain(self) -> str:
        """The normalised registry host (``docker.io`` for Docker Hub)."""
        if self.registry is None or self.registry == "index.docker.io":
            return DEFAULT_REGISTRY
        return self.registry

    @property
    def repository(self) -> str:
        """The repository path with Docker Hub's ``library/`` added (``library/node``)."""
        if self.domain == DEFAULT_REGISTRY and "/" not in self.path:
            return OFFICIAL_PREFIX + self.path
        return self.path

    @property
    def full_name(self) -> str:
        """Fully qualified name without tag/digest: ``docker.io/library/node``."""
        return f"{self.domain}/{self.repository}"

    @property
    def name(self) -> str:
        """Docker's *familiar* name: ``node``, ``org/app``, ``ghcr.io/org/app``."""
        if self.domain == DEFAULT_REGISTRY:
            repo = self.repository
            return repo[len(OFFICIAL_PREFIX) :] if repo.startswith(OFFICIAL_PREFIX) else repo
        return f"{self.domain}/{self.path}"

    @property
    def is_latest(self) -> bool:
        """An explicit ``:latest`` tag."""
        return self.tag == "latest"

    @property
    def is_untagged(self) -> bool:
        """Neither tag nor digest (Docker then pulls ``latest``)."""
        return self.tag is None and self.digest is None

    @property
    def expanded(self) -> bool:
        """The reference came from a word with variables that were resolved."""
        return bool(self.written) and self.written != self.text


def parse_ref(text: str, span: Span | None = None, *, written: str | None = None) -> ImageRef:
    """Parse ``text`` as Docker does; see the module docstring for the contract.

    ``span`` is the span of the source word; pass ``written`` (the word as written)
    when ``text`` is an expansion of it, so part spans are only given when 1:1.
    """
    written_text = text if written is None else written
    has_variables = "$" in text
    # Part spans are meaningful only when every character of text sits at its own
    # offset in the source: same text as written and no continuation inside the span.
    one_to_one = (
        span is not None and written_text == text and len(span) == len(text) and not has_variables
    )
    registry, path, tag, digest, tag_at, digest_at = _split(text)

    def part_span(at: int, value: str | None) -> Span | None:
        if not one_to_one or span is None or value is None:
            return None
        return Span(span.start + at, span.start + at + len(value))

    reason = None if has_variables else _validate(text, registry, path, tag, digest)
    return ImageRef(
        text=text,
        registry=registry,
        path=path,
        tag=tag,
        digest=digest,
        valid=reason is None,
        reason=reason,
        has_variables=has_variables,
        written=written_text,
        span=span,
        tag_span=part_span(tag_at, tag),
        digest_span=part_span(digest_at, digest),
    )


def _split(text: str) -> tuple[str | None, str, str | None, str | None, int, int]:
    """Split into registry, path, tag, digest (+ offsets of tag and digest in ``text``)."""
    name, at, digest = text.partition("@")
    digest_at = len(name) + 1
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag: str | None = None
    tag_at = 0
    if colon > slash:  # a ``:`` after the last ``/`` is a tag, before it a port
        tag, tag_at, name = name[colon + 1 :], colon + 1, name[:colon]
    registry: str | None = None
    first, sep, rest = name.partition("/")
    if sep and (any(c in first for c in ".:") or first == "localhost" or first.lower() != first):
        registry, name = first, rest
    return registry, name, tag, (digest if at else None), tag_at, digest_at


def _validate(
    text: str, registry: str | None, path: str, tag: str | None, digest: str | None
) -> str | None:
    """Docker's error message for an invalid reference, else ``None``."""
    if not text:
        return "repository name must have at least one component"
    if _ANY_HEX.fullmatch(text) and len(text) == 64:
        return f"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings"
    if registry is not None and not _DOMAIN.fullmatch(registry):
        return "invalid reference format"
    if path.lower() != path:
        return f"invalid reference format: repository name ({path}) must be lowercase"
    if not path or not all(_PATH_COMPONENT.fullmatch(c) for c in path.split("/")):
        return "invalid reference format"
    if tag is not None and not _TAG.fullmatch(tag):
        return "invalid reference format"
    if digest is not None:
        reason = _validate_digest(digest)
        if reason:
            return reason
    full = path if registry is None else f"{registry}/{path}"
    if len(full) > NAME_TOTAL_LENGTH_MAX:
        return f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
    return None


def _validate_digest(digest: str) -> str | None:
    algorithm, colon, hex_part = digest.partition(":")
    if not colon or not _DIGEST_ALGORITHM.fullmatch(algorithm) or not _ANY_HEX.fullmatch(hex_part):
        return "invalid reference format"
    expected = _DIGEST_HEX_LENGTHS.get(algorithm)
    if expected is None:
        return "unsupported digest algorithm"
    if len(hex_part) != expected:
        return "invalid checksum digest length"
    if hex_part.lower() != hex_part:
        return "invalid checksum digest format"
    return None


# Windows base images (their default SHELL is `cmd /S /C`, not `/bin/sh -c`): Microsoft's
# own repositories, and any image whose tag names a Windows base (the Windows variants
# of Docker Hub's official images and of mcr.microsoft.com/dotnet and /powershell:
# `3.12-windowsservercore-ltsc2022`, `8.0-nanoserver-1809`, `lts-nanoserver-ltsc2022`,
# a Windows LTSC release).
_WINDOWS_REPOSITORIES = frozenset(
    {
        "mcr.microsoft.com/windows",
        "mcr.microsoft.com/windows/servercore",
        "mcr.microsoft.com/windows/nanoserver",
        "mcr.microsoft.com/windows/server",
        "mcr.microsoft.com/windows/servercore/iis",
        "mcr.microsoft.com/windows/servercore/insider",
        "mcr.microsoft.com/windows/nanoserver/insider",
        "microsoft/windowsservercore",
        "microsoft/nanoserver",
        "microsoft/iis",
        "microsoft/aspnet",
        "microsoft/dotnet-framework",
    }
)
_WINDOWS_PREFIXES = ("mcr.microsoft.com/dotnet/framework/", "mcr.microsoft.com/windows/")
_WINDOWS_TAG_WORDS = ("windowsservercore", "nanoserver", "servercore", "ltsc20")


def is_windows_image(ref: ImageRef) -> bool:
    """Whether ``ref`` is a Windows image. For a reference with variables, the parts
    that are known decide (``mcr.microsoft.com/windows/servercore:$TAG`` is one)."""
    name = ref.name.lower()
    if name in _WINDOWS_REPOSITORIES or name.startswith(_WINDOWS_PREFIXES):
        return True
    tag = (ref.tag or "").lower()
    return any(word in tag for word in _WINDOWS_TAG_WORDS)
