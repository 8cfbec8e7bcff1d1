"""Random instruction sequences (24 instructions with forward branches, loads and stores through X28
and SP, exclusives, flags) run on lnsym and on Unicorn must end in the same state."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lnsym.check.conformance import RandomSource, agree, random_sequence
from lnsym.machine.oracle import run_lnsym, run_unicorn
from lnsym.machine.stepper import capstone_text


def _listing(words: list[int]) -> str:
    return "\n".join(f"  {w:#010x}  {capstone_text(w)}" for w in words)


def _check(src: RandomSource) -> None:
    words, snap = random_sequence(src)
    ours = run_lnsym(snap, len(words))
    theirs = run_unicorn(snap, len(words))
    assert agree(ours, theirs), f"lnsym {ours.ending} vs unicorn {theirs.ending}\n{_listing(words)}\n" + str(
        [(i, hex(a), hex(b)) for i, (a, b) in enumerate(zip(ours.x, theirs.x)) if a != b]
    )


@settings(max_examples=200, deadline=None, database=None)
@given(seed=st.integers(0, 2**64 - 1))
def test_random_sequences_match_unicorn(seed: int) -> None:
    _check(RandomSource(seed))


@pytest.mark.campaign
def test_campaign_random_sequences() -> None:
    for seed in range(5000):
        _check(RandomSource(seed))


def test_sequences_actually_execute_memory_and_branches() -> None:
    """Guard against a generator that only produces sequences ending early in agreement on a fault."""
    endings: dict[str, int] = {}
    for seed in range(40):
        _, snap = random_sequence(RandomSource(seed))
        ending = run_unicorn(snap, 25).ending
        endings[ending] = endings.get(ending, 0) + 1
    assert endings.get("brk", 0) >= 10 and endings.get("fault", 0) + endings.get("brk", 0) >= 30, endings

