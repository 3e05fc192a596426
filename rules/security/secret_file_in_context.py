"""A broad COPY/ADD puts secret-looking files of the build context into the image.

## What it does
Flags a `COPY`/`ADD` that copies the whole build context (`.`, `*`, ...) or a directory
tree of it when the files it copies include some that look like secrets and that the
ignore file does not exclude: `.env` files, SSH and other private keys (`id_rsa`,
`*.pem`, `*.key` holding a private key), key stores, `.npmrc`/`.pypirc`/`.netrc` with
passwords or tokens, cloud and registry credentials (`.aws/credentials`,
`.docker/config.json`, Google service-account keys, kubeconfigs), Terraform state.
Files are judged by name and, where the name alone is not enough, by a bounded read of
their content: an empty key file, a `*.pem` holding only certificates, a dotenv file
whose secret-named values are empty, placeholders (`changeme`, `<...>`, `${VAR}`) or
public client settings (`VITE_`, `NEXT_PUBLIC_`, `EXPO_PUBLIC_`, `REACT_APP_`, ...)
pass, and so do dotenv templates (`.env.example`, `.env.sample`, `.env.template`,
`.env.dist`) and files in test and example folders (`test/`, `tests/`, `testdata/`,
`fixtures/`, `test_resources/`, `spec/`, `e2e/`, `example/`, `examples/`, ...), which
hold sample material. The message names up to five files with the reason for each. The
rule needs the build context and is silent without one; `--from` copies and single files
copied by name are not its concern.
When none of the other paths the Dockerfile names exists in the context but some do
from a folder above it, the build evidently runs from elsewhere and the rule is silent
(`--verbose` says why): pass `--context` with the folder the build uses.
Files left out with `COPY --exclude=...` do not count. BuildKit matches those patterns
against the paths inside each directory a source copies, relative to that directory
(the context for `.`, each matching directory for a wildcard), so a file that a
wildcard matches directly is copied whatever they say: `COPY --exclude=.env * /app/`
still copies `.env` (the message then says so). With `--parents` the paths are
relative to the context (or to the directory before `/./`) instead, and that includes
what a wildcard matches.

## Why is this bad?
Whatever `COPY` brings in is stored in an image layer. Deleting the file in a later
instruction does not remove it from the earlier layer, and anyone who can pull the image
(or read the build cache of an intermediate stage) can read it. A leaked key or token
has to be rotated. The severity is *error*: unlike most findings this is not a matter of
size or speed, and the files are reported only when they really are copied. A copy into
a build stage whose files the image does not get (it is neither the final stage nor one
the final stage is built `FROM`, and no such stage copies from it the folder the files
went to or one above it) is reported as a *warning* naming the stage: the image gets
only what is copied from it, but the stage's layers stay in the build cache and in a
cache exported with `mode=max`.

## Example
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
```

## Use instead
Exclude the files in the `.dockerignore`:

```gitignore
.env
*.pem
```

and pass what the build needs as a build secret, which is mounted for one `RUN` and
never stored in a layer (`docker build --secret id=pip_index,src=.env.pip ...`), while
copying only what the image needs:

```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt ./
RUN --mount=type=secret,id=pip_index,env=PIP_INDEX_URL pip install -r requirements.txt
COPY src/ ./src/
```

## References
- [Docker: build secrets](https://docs.docker.com/build/building/secrets/)
- [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from dflint import ast
from dflint.model import Model
from dflint.model.ignore import go_clean
from dflint.model.secret_files import SecretFile
from dflint.model.stages import EdgeKind
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ..context._context_copy import broad_sources, copy_excludes
from ..context._context_fit import copy_destination, sources_elsewhere

_MAX_NAMED = 5


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    context = model.context
    if context is None:
        return
    secrets: tuple[SecretFile, ...] | None = None  # read only when a broad COPY exists
    shipped = model.memo("secret-file-in-context:shipped", _shipped_copies)
    ignore_file = context.ignore_file.name if context.ignore_file else ".dockerignore"
    for node in model.instructions(ast.Copy):
        excludes = copy_excludes(node, model)
        for source in broad_sources(node, model):
            if secrets is None:
                elsewhere = sources_elsewhere(model)
                if elsewhere is not None:
                    ctx.note(elsewhere.note(RULE.code))
                    return
                secrets = context.secret_files()
            if source.whole_context:
                copied = list(secrets)
            else:
                files = set(context.copied_files(source.path))
                copied = [s for s in secrets if s.path in files]
            copied = [s for s in copied if not excludes.excludes(source, s.path)]
            if not copied:
                continue
            named = ", ".join(f"`{s.path}` ({s.reason})" for s in copied[:_MAX_NAMED])
            if len(copied) > _MAX_NAMED:
                named += f" and {len(copied) - _MAX_NAMED} more"
            missed = [s.path for s in copied if excludes.misses_match(source, s.path)]
            why = (
                f"; `--exclude` does not apply to what the wildcard matches itself, such as "
                f"`{missed[0]}`: BuildKit judges only the paths inside a matched directory"
                if missed
                else ""
            )
            stage = model.stage_of(node)
            if stage is None or node in shipped:
                yield ctx.finding(
                    source.word.span,
                    f"`{node.keyword.text} {source.word.text}` copies secret-looking files "
                    f"into the image: {named}; exclude them in `{ignore_file}` and pass what "
                    f"the build needs with `RUN --mount=type=secret`{why}",
                )
                continue
            # A build stage: the image gets only what is copied from it, but its layers
            # stay in the build cache (and in a cache exported with `mode=max`).
            finding = ctx.finding(
                source.word.span,
                f"`{node.keyword.text} {source.word.text}` copies secret-looking files into "
                f"the build stage `{stage.name or stage.index}`: {named}; the image gets only "
                "what is copied from that stage, but its layers keep them in the build cache "
                f"(and in a cache exported with `mode=max`); exclude them in `{ignore_file}` "
                f"and pass what the build needs with `RUN --mount=type=secret`{why}",
            )
            yield replace(finding, severity=_lower(ctx.severity, Severity.WARNING))


def _shipped_copies(model: Model) -> frozenset[ast.Instruction]:
    """The broad context copies whose files may reach the image: those in the final
    stage and the stages it is built ``FROM``, and those in a stage a shipped stage
    copies from (``COPY --from``) a path at or above where the copy put its files, or a
    path that is not known (to a fixpoint)."""
    shipped_stages = {s.index for s in model.shipping_stages()}
    copies = {
        node: model.stage_of(node)
        for node in model.instructions(ast.Copy)
        if broad_sources(node, model)
    }
    changed = True
    while changed:
        changed = False
        for edge in model.edges:
            if (
                edge.kind is not EdgeKind.COPY
                or edge.source not in shipped_stages
                or edge.target in shipped_stages
                or not isinstance(edge.instruction, ast.Copy)
            ):
                continue
            taken = _copied_paths(edge.instruction, model)
            for node, stage in copies.items():
                if stage is None or stage.index != edge.target:
                    continue
                destination = copy_destination(node, model)
                if (
                    taken is None
                    or destination is None
                    or any(
                        destination == path or path == "/" or destination.startswith(path + "/")
                        for path in taken
                    )
                ):
                    shipped_stages.add(edge.target)
                    changed = True
                    break
    return frozenset(
        node for node, stage in copies.items() if stage is None or stage.index in shipped_stages
    )


def _copied_paths(node: ast.Copy, model: Model) -> list[str] | None:
    """The absolute paths a ``COPY --from`` takes (``None`` when one is not known)."""
    paths: list[str] = []
    for word in node.sources:
        text = model.expand(word, at=node).text
        if not text or "$" in text:
            return None
        wildcard = min((text.find(c) for c in "*?[" if c in text), default=-1)
        if wildcard != -1:
            # `/dist/*.whl`: what matches lies in the folder before the wildcard.
            text = text[:wildcard].rpartition("/")[0] or "/"
        paths.append(go_clean("/" + text))
    return paths


def _lower(a: Severity, b: Severity) -> Severity:
    return a if a.rank <= b.rank else b


RULE = Rule(
    code="DF601",
    name="secret-file-in-context",
    summary="Secret-looking files copied from the build context",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("security", "context"),
    needs=Needs(instructions=("COPY", "ADD")),
)
