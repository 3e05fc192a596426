"""Whether the build context in use looks like the one the build really uses.

Shared by the rules that judge what the context holds (DF403, DF404, DF601). Without
``--context`` the Dockerfile's folder is assumed; in real projects the build is often run
from another folder (a compose file, a bake file, a CI workflow says which). When none
of the paths the Dockerfile names exists in the assumed folder but some do from a
folder above it (:meth:`dflint.model.context.BuildContext.sources_elsewhere`), what the
folder holds says nothing about what the build sends: those rules say so instead of
judging it.

The paths a Dockerfile names in its context are its COPY/ADD sources and, after a copy
of the whole context, the folders it then works in (`WORKDIR src/Api` below the copy's
destination) and the programs it runs from there (`RUN ./gradlew build`).
"""

from __future__ import annotations

from dflint import ast
from dflint.model import Model
from dflint.model.ignore import go_clean
from dflint.model.scope import Unknown
from dflint.records import record
from dflint.source import Span

from .._shared._paths import in_image
from ._context_copy import context_sources


@record
class NamedPath:
    """A context path the Dockerfile names, and where."""

    text: str  # as written
    path: str  # cleaned, context-relative
    span: Span


@record
class Elsewhere:
    """The named paths are not in the context in use, but are from ``ancestor``."""

    named: tuple[NamedPath, ...]  # every named path, in order (all missing)
    ancestor: str  # `..`, `../..`: relative to the context root
    folder: str  # the context in use, shown as `name/`
    dockerfile: str  # the Dockerfile's path, for notes

    def describe(self) -> str:
        """``not found in the build context `docker/` but ... from `..` ...``, for messages."""
        more = len({n.path for n in self.named}) - 1
        named = f"`{self.named[0].text}`"
        if more:
            named += f" and {more} more path{'s' if more > 1 else ''} the Dockerfile names"
        verb = "are" if more else "is"
        return (
            f"{named} {verb} not found in the build context `{self.folder}` but {verb} from "
            f"`{self.ancestor}`: the build probably runs from there; pass `--context` with "
            "the folder it uses"
        )

    def note(self, code: str) -> str:
        """A ``--verbose`` note: why ``code`` did not judge the context."""
        return f"{code} did not judge the build context of {self.dockerfile}: {self.describe()}"


def sources_elsewhere(model: Model) -> Elsewhere | None:
    """:class:`Elsewhere` when the context in use is probably not the build's, else ``None``."""
    return model.memo("sources_elsewhere", _sources_elsewhere)


def _sources_elsewhere(model: Model) -> Elsewhere | None:
    context = model.context
    if context is None:
        return None
    named = named_paths(model)
    ancestor = context.sources_elsewhere(tuple(n.path for n in named))
    if ancestor is None:
        return None
    dockerfile = str(context.dockerfile) if context.dockerfile else "the Dockerfile"
    return Elsewhere(named, ancestor, context.root.name + "/", dockerfile)


def named_paths(model: Model) -> tuple[NamedPath, ...]:
    """The context paths the Dockerfile names (see the module docstring), COPY/ADD
    sources first."""
    found: list[NamedPath] = []
    derived: list[NamedPath] = []
    for stage in model.stages:
        copied_to: str | None = None  # where a copy of the whole context went
        for node in stage.instructions:
            if isinstance(node, ast.Copy):
                for source in context_sources(node, model):
                    if not source.whole_context:
                        found.append(NamedPath(source.word.text, source.path, source.word.span))
                    elif copied_to is None:
                        copied_to = copy_destination(node, model)
            elif copied_to is not None and isinstance(node, (ast.Workdir, ast.Run)):
                derived.extend(_below_copy(node, model, copied_to))
    return (*found, *derived)


def _below_copy(node: ast.Workdir | ast.Run, model: Model, copied_to: str) -> list[NamedPath]:
    """The context path of the WORKDIR ``node``, or of the ``./program`` a RUN runs, when
    it lies below where the whole context was copied."""
    if isinstance(node, ast.Workdir):
        inside = _inside(_workdir_after(node, model), copied_to)
        if node.value is None or inside is None:
            return []
        return [NamedPath(node.value.text, inside, node.value.span)]
    workdir = model.workdir_at(node)
    if isinstance(workdir, Unknown) or (workdir != copied_to and not _inside(workdir, copied_to)):
        return []
    found: list[NamedPath] = []
    for command in model.script(node).commands:
        word = command.words[0] if command.words else None
        if word is None or word.value is None or not word.value.startswith("./"):
            continue
        inside = _inside(go_clean(f"{workdir}/{word.value}"), copied_to)
        if inside:
            found.append(NamedPath(word.text, inside, word.span))
    return found


def _workdir_after(node: ast.Workdir, model: Model) -> str | None:
    if node.value is None:
        return None
    text = model.expand(node.value, at=node).text
    return in_image(model, node, text) if text else None


def _inside(path: str | None, folder: str) -> str | None:
    """``path`` relative to ``folder`` when it lies strictly below it, else ``None``."""
    if path is None or path == folder:
        return None
    prefix = "/" if folder == "/" else folder + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def copy_destination(node: ast.Copy, model: Model) -> str | None:
    """Where a COPY/ADD puts its files, as an absolute clean path (``None`` if unknown)."""
    word = node.destination
    if word is None:
        return None
    text = model.expand(word.value if node.json else word, at=node).text
    return in_image(model, node, text) if text else None
