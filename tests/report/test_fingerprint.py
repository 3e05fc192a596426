"""``primaryLocationLineHash`` must equal what github/codeql-action computes."""

from __future__ import annotations

import random

import pytest

from dflint.report.fingerprint import LineHashes, line_hashes

# Inputs and expected values published in github/codeql-action's own unit tests
# (src/fingerprints.test.ts); our implementation is independent and must agree.
ACTION_VECTORS = [
    ("", ["c129715d7a2bc9a3:1"]),
    (
        " a\nb\n  \t\tc\n d",
        ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"],
    ),
    (
        " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
        [
            "8b7cf3e952e7aeb2:1",
            "b1ae1287ec4718d9:1",
            "bff680108adb0fcc:1",
            "c6805c5e1288b612:1",
            "b86d3392aea1be30:1",
            "e6ceba753e1a442:1",
        ],
    ),
]
WITH_FINAL_NEWLINE = [
    "e9496ae3ebfced30:1",
    "fb7c023a8b9ccb3f:1",
    "ce8ba1a563dcdaca:1",
    "e20e36e16fcb0cc8:1",
    "b3edc88f2938467e:1",
    "c8e28b0b4002a3a0:1",
    "c129715d7a2bc9a3:1",
]
LINE_ENDINGS = [
    " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n",
    " hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r",
    " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n",
    " hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n",
]


@pytest.mark.parametrize(("text", "expected"), ACTION_VECTORS)
def test_action_vectors(text: str, expected: list[str]) -> None:
    assert line_hashes(text) == expected


@pytest.mark.parametrize("text", LINE_ENDINGS)
def test_cr_lf_and_crlf_hash_alike(text: str) -> None:
    assert line_hashes(text) == WITH_FINAL_NEWLINE


def test_repeated_lines_are_counted() -> None:
    hashes = line_hashes("Lorem ipsum dolor sit amet.\n" * 10)
    assert hashes[:6] == [f"a7f2ff13bc495cf2:{n}" for n in range(1, 7)]
    # The window of the last lines reaches the end of the file, so they differ.
    assert hashes[6:] == [
        "a7f2ff1481e87703:1",
        "a9cf91f7bbf1862b:1",
        "55ec222b86bcae53:1",
        "cc97dc7b1d7d8f7b:1",
        "c129715d7a2bc9a3:1",
    ]


def _direct(text: str) -> list[str]:
    """The definition, without a rolling window: sum of c_i * 37**(99-i) mod 2**64
    over the 100 kept UTF-16 units from each line's first kept unit."""
    units: list[int] = []
    starts: list[int] = []
    fresh, after_cr = True, False
    data = text.encode("utf-16-le")
    for unit in (int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)):
        if unit in (9, 32) or (after_cr and unit == 10):
            after_cr = False
            continue
        after_cr = unit == 13
        unit = 10 if after_cr else unit
        if fresh:
            starts.append(len(units))
        fresh = unit == 10
        units.append(unit)
    if fresh:
        starts.append(len(units))
    units += [0xFFFF] + [0] * 100
    out, seen = [], {}
    for s in starts:
        value = sum(c * 37 ** (99 - i) for i, c in enumerate(units[s : s + 100])) % 2**64
        key = format(value, "x")
        seen[key] = seen.get(key, 0) + 1
        out.append(f"{key}:{seen[key]}")
    return out


def test_matches_definition_on_random_dockerfiles() -> None:
    rng = random.Random(5)
    alphabet = [
        "FROM ",
        "RUN ",
        "a",
        "b",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\\\n",
        "é",
        "🐳",
        "x" * 60,
    ]
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80)))
        assert line_hashes(text) == _direct(text), repr(text)


def test_one_hash_per_line_as_github_counts_lines() -> None:
    text = "FROM a\r\nRUN b\rRUN c\n"
    assert len(line_hashes(text)) == len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def test_indentation_does_not_change_the_hash() -> None:
    assert line_hashes("FROM a\nRUN b\n") == line_hashes("FROM a\n    RUN\tb  \n")


def test_lookup_by_line_is_clamped() -> None:
    hashes = LineHashes("FROM a\n")
    assert hashes.for_line(1) == line_hashes("FROM a\n")[0]
    assert hashes.for_line(99) == line_hashes("FROM a\n")[-1]
    assert hashes.for_line(0) == hashes.for_line(1)
