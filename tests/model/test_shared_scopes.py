"""The mappings scopes are made of: ``SharedMap`` (copies that share entries) and
``Layered`` (mappings read as one) behave exactly as the dicts they stand for."""

from __future__ import annotations

import random

from dflint.model import build
from dflint.model.scope import UNKNOWN, Layered, SharedMap, Value
from dflint.model.stages import EdgeKind, StageRef
from dflint.parse import parse
from dflint.source import SourceFile


def test_shared_map_copies_equal_dicts_updated_in_place() -> None:
    rng = random.Random(0)
    versions: list[tuple[SharedMap, dict[str, Value]]] = [(SharedMap({"A": "1"}), {"A": "1"})]
    for _ in range(3000):
        shared, plain = rng.choice(versions)  # branches too, as stages built FROM a stage
        changes: dict[str, Value] = {
            f"K{rng.randrange(400)}": rng.choice(("x", "y", UNKNOWN))
            for _ in range(rng.randrange(1, 4))
        }
        versions.append((shared.updated(changes), {**plain, **changes}))
    for shared, plain in versions[::37]:
        assert list(shared) == list(plain)  # same order
        assert dict(shared.items()) == plain
        assert len(shared) == len(plain)
        assert all(shared.get(k) == plain.get(k) for k in ("A", "K1", "K399", "nope"))
        assert ("K7" in shared) == ("K7" in plain)
    first, plain = versions[0]
    assert dict(first.items()) == plain == {"A": "1"}  # never changed by its copies


def test_layered_reads_as_the_merged_dict() -> None:
    top: dict[str, Value] = {"b": "top", "d": "new"}
    middle: dict[str, Value] = {"a": "mid", "b": "mid"}
    bottom: dict[str, Value] = {"c": "low", "a": "low"}
    layered = Layered(top, middle, bottom)
    merged = {**bottom, **middle, **top}
    assert list(layered) == list(merged)
    assert {k: layered[k] for k in layered} == merged
    assert layered.get("zz") is None
    assert "zz" not in layered
    assert "c" in layered
    assert len(layered) == len(merged)


def test_scopes_of_thousands_of_arg_and_env_hold_every_value() -> None:
    count = 3000
    text = "FROM alpine:3.19\n" + "".join(
        f"ARG A{i}=v{i}\nENV E{i}=${{A{i}}}/x P=$A{i}\n" for i in range(count)
    )
    model = build(SourceFile(text), parse(text))
    last = model.dockerfile.instructions[-1]
    env, args = model.env_at(last), model.args_at(last)
    assert len(args) == count
    assert args["A0"] == "v0"
    assert args[f"A{count - 1}"] == f"v{count - 1}"
    assert env["E0"] == "v0/x"
    assert env["P"] == f"v{count - 2}"
    assert list(model.scope_at(last).values)[:3] == ["A0", "A1", "A2"]  # ARGs, then ENV
    assert model.expand("$E5:$P", last).text == f"v5/x:v{count - 2}"
    early = model.dockerfile.instructions[3]  # the second ARG: E0 and P are set
    assert dict(model.env_at(early)) == {"E0": "v0/x", "P": "v0"}


def test_stage_indexes_agree_with_walking_the_stages() -> None:
    """``root``, ``edges_from`` and ``stage_named`` answer from indexes made once per
    model; they agree with the lineage, the edge list and the last stage of a name."""
    lines = ["FROM alpine:3.19 AS s0"]
    for i in range(1, 200):
        base = f"s{i // 2}" if i % 3 else "debian:12"
        alias = f"s{i}" if i % 7 else "S1"  # a repeated alias (any case): the last wins
        lines += [
            f"FROM {base} AS {alias}",
            f"COPY --from=s{i // 3} /a /b",
            f"COPY --from={i // 4} /c /d",
        ]
    text = "\n".join(lines) + "\n"
    model = build(SourceFile(text), parse(text))
    for stage in model.stages:
        assert model.root(stage) is model.lineage(stage)[-1]
        assert model.edges_from(stage) == tuple(e for e in model.edges if e.source == stage.index)
    assert model.stage_named("S1") is model.stages[196]  # as BuildKit's COPY --from finds it
    assert model.stage_named("s150") is model.stages[150]
    assert model.stage_named("7") is model.stages[7]
    assert model.stage_named("nope") is None


def test_from_a_repeated_name_is_the_latest_stage_before_it() -> None:
    """BuildKit resolves `FROM <name>` while adding the stages in order (the latest of
    that name so far), and `COPY --from=<name>` once all are added (the last)."""
    text = (
        "FROM alpine:3.19 AS b\n"
        "FROM b AS c\n"
        "FROM debian:12 AS b\n"
        "FROM b AS d\n"
        "COPY --from=b /a /a\n"
        "FROM busybox:1.36 AS b\n"
    )
    model = build(SourceFile(text), parse(text))
    bases = [s.base.index if isinstance(s.base, StageRef) else None for s in model.stages]
    assert bases == [None, 0, None, 2, None]
    assert [(e.source, e.target) for e in model.edges if e.kind is EdgeKind.COPY] == [(3, 4)]
    assert model.stage_named("b") is model.stages[4]
