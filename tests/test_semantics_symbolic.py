"""One semantics, two uses: every encoding run on symbolic registers and flags, then evaluated at the
concrete inputs, must give exactly what the concrete run gives (and what Z3 says for a sample)."""

from __future__ import annotations

import random

import pytest
import z3

import isa
from bitvec import BV, Value
from bitvec.term import Term, evaluate
from bitvec.z3backend import to_z3
from isa.decoder import DecodeError
from isa.machine import Stop
from lnsym.check.conformance import RandomSource, random_snapshot, random_word
from lnsym.errors import MemoryFault
from lnsym.machine.concrete import ConcreteMachine
from lnsym.symbolic.machine import SymbolicAddressError, SymbolicMachine

CASES = 30
ENCODINGS = sorted(p.name for p in isa.decoder().patterns)


def _value(v: Value, env: dict[str, int]) -> int:
    return v.val if isinstance(v, BV) else evaluate(v, env).val


def _run_pair(name: str, seed: int) -> bool:
    """Run one case both ways; return False when the case does not apply (undefined, fault, stop)."""
    dec = isa.decoder()
    pattern = dec.by_name[name]
    src = RandomSource(seed)
    word = random_word(pattern, src)
    try:
        _, execute = dec.decode(word)
    except DecodeError:
        return False
    snap = random_snapshot(pattern, word, src)
    fields = pattern.field_values(word)
    memory_base = pattern.group.startswith("Loads and stores") and "Rn" in fields
    env = {f"x{i}": snap.x[i] for i in range(31)} | {"sp": snap.sp, "nzcv": snap.nzcv}
    env |= {f"v{i}": 0 for i in range(32)} | {"fpcr": 0, "fpsr": 0, "tpidr_el0": 0}

    conc = ConcreteMachine(x=list(snap.x), sp=snap.sp, pc=snap.pc, flags=snap.nzcv)
    for start, data, perms in snap.regions:
        conc.memory.map(start, len(data), perms, data=data)
    sym = SymbolicMachine(pc=BV(64, snap.pc))
    if memory_base:  # addresses must be concrete in the minimal symbolic state
        n = fields["Rn"]
        if n == 31:
            sym.sp = BV(64, snap.sp)
        else:
            sym.x[n] = BV(64, snap.x[n])
        if "Rm" in fields and fields["Rm"] != 31:
            sym.x[fields["Rm"]] = BV(64, snap.x[fields["Rm"]])
    start, data, _ = snap.regions[0]
    try:
        execute(conc)
    except (Stop, MemoryFault):
        return False
    sym.default_byte = _LazyBytes(start, data)  # type: ignore[assignment]
    try:
        execute(sym)
    except SymbolicAddressError:
        return False
    for i in range(31):
        assert _value(sym.x[i], env) == conc.x[i], f"{name} {word:#010x}: X{i}"
    assert _value(sym.sp, env) == conc.sp, f"{name} {word:#010x}: SP"
    assert _value(sym.flags, env) == conc.flags, f"{name} {word:#010x}: NZCV"
    if conc.next_pc is not None:
        assert sym.next_pc is not None and _value(sym.next_pc, env) == conc.next_pc, f"{name}: branch target"
    for address, byte in sym.memory.items():
        assert _value(byte, env) == conc.memory.read_int(address, 1), f"{name} {word:#010x}: byte {address:#x}"
    return True


class _LazyBytes(dict):  # type: ignore[type-arg]
    """Memory contents of the snapshot region as constant bytes, built on demand."""

    def __init__(self, start: int, data: bytes) -> None:
        super().__init__()
        self.start, self.data = start, data

    def get(self, address: int, default: object = None) -> object:
        off = address - self.start
        return BV(8, self.data[off]) if 0 <= off < len(self.data) else default


@pytest.mark.parametrize("name", ENCODINGS)
def test_symbolic_execution_evaluates_to_concrete(name: str) -> None:
    applied = sum(_run_pair(name, seed) for seed in range(CASES))
    if name.startswith(("SVC_", "BRK_", "HLT_", "UDF_")):
        assert applied == 0
    elif name not in ("MRS_RS_systemmove", "MSR_SR_systemmove", "HINT_HM_hints"):
        assert applied > 0, f"{name}: no case applied"


def test_symbolic_results_are_terms_and_z3_agrees() -> None:
    """A sample: ADDS X2, X0, X1 produces term-valued flags, and Z3 proves N == result<63>."""
    _, execute = isa.decoder().decode(0xAB010002)
    sym = SymbolicMachine()
    execute(sym)
    assert isinstance(sym.x[2], Term) and isinstance(sym.flags, Term)
    solver = z3.Solver()
    n_flag = z3.Extract(3, 3, to_z3(sym.flags))
    solver.add(n_flag != z3.Extract(63, 63, to_z3(sym.x[2])))
    assert solver.check() == z3.unsat
    rng = random.Random(3)
    for _ in range(50):
        a, b = rng.getrandbits(64), rng.getrandbits(64)
        env = {"x0": a, "x1": b}
        assert evaluate(sym.x[2], env).val == (a + b) & (2**64 - 1)
        carry = evaluate(sym.flags, env).val >> 1 & 1
        assert carry == int(a + b >= 2**64)
