"""One register-file rule set: lnsym's concrete machine and its symbolic machine (and the symbolic path
state) follow the same rules of the Arm ARM's ``X[]``, ``SP[]`` and ``V[]`` accessors -- X31 reads as zero
and writes to it are discarded, a narrower write is zero-extended to 64 bits, narrower reads take the low
bits, and a vector write must be the whole 128-bit register."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bitvec import BV, var
from bitvec.term import lift
from isa.machine import Machine
from lnsym.machine.concrete import ConcreteMachine
from lnsym.symbolic.machine import SymbolicMachine
from lnsym.symbolic.state import SymState


def _value(v: object) -> int:
    return lift(v, 64).as_int() if not isinstance(v, BV) else v.val  # type: ignore[arg-type]


MACHINES: dict[str, Callable[[], Machine]] = {
    "concrete": ConcreteMachine,
    "symbolic": lambda: SymbolicMachine(x=[BV(64, 0)] * 31, sp=BV(64, 0)),  # type: ignore[call-arg]
    "path-state": lambda: SymState(x=[BV(64, 0)] * 31, sp=BV(64, 0)),  # type: ignore[call-arg]
}


@pytest.mark.parametrize("kind", sorted(MACHINES))
def test_x31_reads_zero_and_discards_writes(kind: str) -> None:
    m = MACHINES[kind]()
    m.set_X(31, BV(64, 0x1234))
    assert _value(m.X(31, 64)) == 0 and m.X(31, 32).width == 32
    m.set_SP(BV(64, 0x7000))
    assert _value(m.X(31, 64)) == 0 and _value(m.SP(64)) == 0x7000


@pytest.mark.parametrize("kind", sorted(MACHINES))
def test_narrow_writes_zero_extend_and_narrow_reads_take_low_bits(kind: str) -> None:
    m = MACHINES[kind]()
    m.set_X(3, BV(64, 0xFFFF_FFFF_FFFF_FFFF))
    m.set_X(3, BV(32, 0x8000_0001))
    assert _value(m.X(3, 64)) == 0x8000_0001
    assert m.X(3, 32).width == 32 and _value(m.X(3, 32)) == 0x8000_0001
    m.set_SP(BV(64, 0x1_2345_6789))
    assert _value(m.SP(32)) == 0x2345_6789


@pytest.mark.parametrize("kind", sorted(MACHINES))
def test_vector_writes_are_whole_registers(kind: str) -> None:
    m = MACHINES[kind]()
    m.set_V(2, BV(128, 1 << 127))
    assert lift(m.V(2), 128).as_int() == 1 << 127
    with pytest.raises(ValueError, match="V2 write of 64 bits"):
        m.set_V(2, BV(64, 1))


def test_symbolic_values_follow_the_same_rules() -> None:
    m = SymbolicMachine()
    x = var("w", 32)
    m.set_X(5, x)
    assert m.X(5, 64).width == 64 and m.X(5, 32) is x

