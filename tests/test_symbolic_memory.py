"""The symbolic memory model: exact cells, partial overlaps, base+offset normalisation, region
disjointness, symbolic offsets resolved soundly -- including cases a naive model gets wrong."""

from __future__ import annotations

import random

import pytest

from bitvec import BV, var
from bitvec.term import Term, evaluate
from lnsym.symbolic.memory import SymbolicMemoryError, SymMemory, SymRegion
from lnsym.symbolic.state import Solver, SymState


def _memory() -> SymMemory:
    m = SymMemory()
    m.add(SymRegion("out", var("out", 64), 64))
    m.add(SymRegion("in", var("in", 64), 64, writable=False))
    m.add(SymRegion("table", BV(64, 0x1000), 16, writable=False, init=bytes(range(100, 116))))
    return m


def test_stored_vector_reads_back_as_the_same_term() -> None:
    m = _memory()
    value = var("q", 128)
    m.write(var("out", 64) + 16, 16, value)
    assert m.read(var("out", 64) + 16, 16) is value
    assert m.read(var("out", 64) + 24, 8) is value[127:64]
    assert m.read((var("out", 64) + 8) + 8, 16) is value  # constant chains normalise


def test_partial_overwrite_keeps_the_other_bytes() -> None:
    m = _memory()
    m.write(var("out", 64), 16, var("a", 128))
    m.write(var("out", 64) + 4, 4, var("b", 32))
    got = m.read(var("out", 64), 16)
    rng = random.Random(1)
    for _ in range(20):
        a, b = rng.getrandbits(128), rng.getrandbits(32)
        expected = (a & ~(0xFFFF_FFFF << 32)) | (b << 32)
        assert evaluate(got, {"a": a, "b": b}).val == expected


def test_unwritten_bytes_are_named_inputs_and_regions_are_disjoint() -> None:
    m = _memory()
    m.write(var("out", 64), 8, var("w", 64))
    got = m.read(var("in", 64), 8)
    assert isinstance(got, Term) and {f"in[{i}]" for i in range(8)} <= set(_vars(got))
    assert any("pairwise disjoint" in a for a in m.assumptions())


def test_read_only_and_out_of_bounds_are_errors() -> None:
    m = _memory()
    with pytest.raises(SymbolicMemoryError, match="read-only"):
        m.write(var("in", 64), 8, var("z", 64))
    with pytest.raises(SymbolicMemoryError, match="outside region out"):
        m.read(var("out", 64) + 60, 8)
    with pytest.raises(SymbolicMemoryError, match="cannot place"):
        m.read(var("elsewhere", 64), 8)


def test_symbolic_index_into_a_table_needs_a_proof_of_bounds() -> None:
    s = SymState(memory=_memory(), solver=Solver())
    i = var("i", 64)
    with pytest.raises(SymbolicMemoryError):
        s.memory.read(BV(64, 0x1000) + i, 1, s._prove)  # nothing bounds i
    s.path.append(i.ult(16))
    got = s.memory.read(BV(64, 0x1000) + i, 1, s._prove)
    for k in range(16):
        assert evaluate(got, {"i": k}).val == 100 + k


def test_symbolic_offset_store_then_concrete_load_aliases_correctly() -> None:
    """A store through a symbolic index may or may not hit the byte read later: both must be right."""
    m = SymMemory()
    m.add(SymRegion("buf", BV(64, 0x2000), 8, init=bytes(8)))
    s = SymState(memory=m, solver=Solver())
    j = var("j", 64)
    s.path.append(j.ult(8))
    s.memory.write(BV(64, 0x2000) + j, 1, var("v", 8), s._prove)
    byte3 = s.memory.read(BV(64, 0x2003), 1, s._prove)
    assert evaluate(byte3, {"j": 3, "v": 0xAB}).val == 0xAB
    assert evaluate(byte3, {"j": 4, "v": 0xAB}).val == 0


def _vars(t: Term) -> list[str]:
    from bitvec.term import variables

    return list(variables(t))
