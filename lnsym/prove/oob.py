"""Out-of-bounds accesses as refutations.

A symbolic path that ends on a load or store the symbolic memory cannot place (:mod:`lnsym.symbolic.memory`)
is a contract violation when, for some input the contract allows, some byte of that access lies outside
every object the contract declares: the argument buffers at their symbolic bases ``&name``, the stack and
the image's segments.  Z3 is asked for such an input under the path condition at the access plus what
:func:`lnsym.prove.prover.initial_state` assumes about the objects (pairwise disjoint; buffers non-NULL, below
2^48 and aligned, which the path condition already holds).  A model found is replayed concretely on lnsym
and on Unicorn (:mod:`lnsym.prove.oob_replay`); unsat or a timeout leaves the verdict as it was (unknown).

A path that ends on a load/store based on SP where SP may not be 16-byte aligned (``CheckSPAlignment``;
Linux sets ``SCTLR_EL1.SA0``, so it is an SP alignment fault, SIGBUS) is refuted the same way when Z3 finds
inputs with SP mod 16 != 0 there; it replays on lnsym's machine, and Unicorn, which does not enforce SA0, is
reported as unable to reproduce it.  Models that make store-exclusives fail spuriously are replayed with
that failure injected on lnsym's machine (Unicorn cannot inject it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import z3

from bitvec import BV
from bitvec.term import Term, evaluate, lift, variables
from bitvec.z3backend import to_z3
from lnsym.load.image import Image, where
from lnsym.machine.concrete import spurious_failures
from lnsym.prove.contract import Contract
from lnsym.prove.oob_replay import declared, describe, run_lnsym, run_lnsym_sp_fault, run_unicorn
from lnsym.prove.replay import buffer_layout, concrete_inputs, entry_from_model, model_addresses
from lnsym.symbolic.memory import SymRegion, split_base
from lnsym.symbolic.state import PathEnd, PathEndReason

PAGE = 12
MASK64 = (1 << 64) - 1
WINDOW = 1 << 44  # preferred placement of the buffer that is region i: [WINDOW + i * 2^40, + 2^32)
PREFERENCE_MS = 5000  # per query for a model that is easier to replay, once one is known to exist
OFFSET_NAME = "oob.byte"  # the access's byte that is outside every object (a solver-only variable)


@dataclass
class OutOfBounds:
    """An access outside the declared objects, with the model (inputs) under which it happens."""

    pc: int
    kind: str
    size: int
    symbolic_address: str  # e.g. key+0xf4, or the model's address relative to the nearest object
    model: dict[str, int]

    @property
    def address(self) -> int:
        return self.model["oob.address"]


def _z3(t: object, cache: dict[int, object]) -> z3.BitVecRef:
    return to_z3(lift(t, 64), cache)  # type: ignore[arg-type]


def _outside(byte: z3.BitVecRef, region: SymRegion, cache: dict[int, object]) -> z3.BoolRef:
    base = _z3(region.base, cache)
    return z3.Or(z3.ULT(byte, base), z3.UGE(byte, base + region.size))


def _disjoint(a: SymRegion, b: SymRegion, cache: dict[int, object]) -> z3.BoolRef:
    """Distinct regions do not overlap (bases are below 2^48, so ``base + size`` does not wrap)."""
    x, y = _z3(a.base, cache), _z3(b.base, cache)
    return z3.Or(z3.ULE(x + a.size, y), z3.ULE(y + b.size, x))


def _preferences(regions: list[SymRegion], byte: z3.BitVecRef, cache: dict[int, object]) -> list[list[z3.BoolRef]]:
    """Extra constraints, strongest first, for a model a replay reproduces: buffers in windows of their own
    (both machines can map them there) and the offending byte on a page no object touches (Unicorn, which maps
    whole pages, then faults too); buffers in their windows; buffers below 2^47; nothing."""
    windows, low, pages = [], [], []
    for i, r in enumerate(regions):
        base = _z3(r.base, cache)
        if type(r.base) is not BV:
            start = WINDOW + i * (1 << 40)
            windows += [z3.UGE(base, start), z3.ULE(base + r.size, start + (1 << 32))]
            low.append(z3.ULT(base, 1 << 47))
        first, last = z3.LShR(base, PAGE), z3.LShR(base + (r.size - 1), PAGE)
        page = z3.LShR(byte, PAGE)
        pages.append(z3.Or(z3.ULT(page, first), z3.UGT(page, last)))
    return [windows + pages, windows, low, []]


@dataclass
class MisalignedSP:
    """A load/store based on SP where SP is not 16-byte aligned (an SP alignment fault, SIGBUS on Linux)."""

    pc: int
    sp: int
    model: dict[str, int]


def search_sp(end: PathEnd, timeout_ms: int) -> MisalignedSP | None:
    """Inputs under which SP is not 16-byte aligned at the SP-based access ``end`` stopped on, if Z3 finds any
    (SP is a constant on the paths :func:`lnsym.prove.prover.initial_state` starts, so this is mostly a check)."""
    access = end.access
    if access is None or access.kind != "sp-alignment":
        return None
    path: list[Term] = [c for c in end.state.path if c.op != "const" or not c.params[0]]
    sp = lift(access.address, 64)
    misaligned = (sp & 15).ne(0)
    cache: dict[int, object] = {}
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    for c in [*path, misaligned]:
        solver.add(to_z3(c, cache) == 1)
    if solver.check() != z3.sat:
        return None
    m = solver.model()
    names = variables([*path, sp])
    model = {n: m.eval(z3.BitVec(n, w), model_completion=True).as_long() for n, w in names.items()}
    if not all(evaluate(c, model).val for c in [*path, misaligned]):  # checked on the terms themselves
        return None
    return MisalignedSP(end.state.pc, evaluate(sp, model).as_int(), model)


def search(end: PathEnd, timeout_ms: int) -> OutOfBounds | None:
    """Inputs under which the access ``end`` stopped on reaches outside every declared object, if Z3 finds any."""
    access = end.access
    if access is None or access.kind == "sp-alignment":
        return None
    regions = end.state.memory.regions
    path: list[Term] = [c for c in end.state.path if c.op != "const" or not c.params[0]]
    cache: dict[int, object] = {}
    solver = z3.Solver()
    solver.set("timeout", timeout_ms)
    for c in path:
        solver.add(to_z3(c, cache) == 1)
    for i, a in enumerate(regions):
        for b in regions[i + 1:]:
            if type(a.base) is not BV or type(b.base) is not BV:
                solver.add(_disjoint(a, b, cache))
    address = _z3(access.address, cache)
    k = z3.BitVec(OFFSET_NAME, 64)
    byte = address + k
    solver.add(z3.ULT(k, access.size), *[_outside(byte, r, cache) for r in regions])
    if solver.check() != z3.sat:  # always inside (unsat), or the solver gave up: no refutation
        return None
    m = solver.model()
    solver.set("timeout", min(timeout_ms, PREFERENCE_MS))
    for extra in _preferences(regions, byte, cache)[:-1]:  # a model a replay reproduces, where one is found
        if solver.check(*extra) == z3.sat:
            m = solver.model()
            break
    names = variables([*path, lift(access.address, 64), *(lift(r.base, 64) for r in regions)])
    model = {n: m.eval(z3.BitVec(n, w), model_completion=True).as_long() for n, w in names.items()}
    model["oob.address"] = m.eval(address, model_completion=True).as_long()
    if not _holds(path, access.address, access.size, regions, model):
        return None
    return OutOfBounds(end.state.pc, access.kind, access.size, _name(access.address, regions, model), model)


def _holds(path: list[Term], address: object, size: int, regions: list[SymRegion], model: dict[str, int]) -> bool:
    """The model checked by evaluating the terms themselves (not their Z3 translation): it satisfies the path
    condition, the objects are pairwise disjoint, and some byte of the access is outside all of them."""
    if not all(evaluate(c, model).val for c in path):
        return False
    spans = [(evaluate(lift(r.base, 64), model).as_int(), r.size) for r in regions]
    symbolic = [type(r.base) is not BV for r in regions]
    for i, (a, n) in enumerate(spans):
        for j, (b, m) in enumerate(spans[i + 1:], i + 1):
            if (symbolic[i] or symbolic[j]) and a < b + m and b < a + n:
                return False
    start = evaluate(lift(address, 64), model).as_int()
    return start == model["oob.address"] and any(
        all(not a <= (start + k) & MASK64 < a + n for a, n in spans) for k in range(size))


def _name(address: object, regions: list[SymRegion], model: dict[str, int]) -> str:
    """``key+0xf4`` when the address is a region's base plus a constant; else the model's value, relative to
    the object it lies just past, if any."""
    sym, offset = split_base(lift(address, 64))
    for r in regions:
        if sym is not None and lift(r.base, 64) is sym:
            return f"{r.name}+{offset:#x}" if offset < 1 << 63 else f"{r.name}-{(1 << 64) - offset:#x}"
    value = model["oob.address"]
    near = [(b, r.name) for r in regions if (b := evaluate(lift(r.base, 64), model).as_int()) <= value
            and value < b + r.size + (1 << PAGE)]  # at most a page past the object's end
    if not near:
        return f"{value:#x}"
    base, name = max(near)
    return f"{value:#x} ({name}+{value - base:#x})"


def refute(contract: Contract, image: Image, ends: list[PathEnd], timeout_s: float,
           ) -> tuple[str, dict[str, object]] | None:
    """The first path ending on an access Z3 shows can be out of bounds: ``(detail, counterexample)``.  The
    queries of all paths share one ``timeout_s`` budget (many error paths must not multiply it)."""
    deadline = time.perf_counter() + timeout_s
    for end in ends:
        left = deadline - time.perf_counter()
        if left <= 0:
            return None
        misaligned = search_sp(end, max(1, int(left * 1000))) if end.reason == PathEndReason.ERROR else None
        if misaligned is not None:
            detail = (f"SP alignment fault: SP = {misaligned.sp:#x} is not 16-byte aligned at a load/store based on "
                      f"SP (pc {misaligned.pc:#x} {where(image, misaligned.pc)})")
            return detail, sp_counterexample(contract, image, misaligned, detail)
        found = search(end, max(1, int(left * 1000))) if end.reason == PathEndReason.ERROR else None
        if found is not None:
            place = where(image, found.pc)
            detail = (f"out-of-bounds {found.kind} of {found.size} byte(s) at {found.symbolic_address} "
                      f"(pc {found.pc:#x} {place})")
            return detail, counterexample(contract, image, found, detail)
    return None


def sp_counterexample(contract: Contract, image: Image, found: MisalignedSP, detail: str) -> dict[str, object]:
    """The inputs, and the replay: ``replays`` when lnsym's machine takes the SP alignment fault at this PC.
    Unicorn does not enforce ``SCTLR_EL1.SA0`` (a documented deviation, :mod:`lnsym.check.conformance`), so it is
    reported as unable to reproduce the fault, not as a disagreement."""
    inputs = concrete_inputs(contract, found.model)
    addresses = model_addresses(contract, image, found.model)
    regs, buffers = buffer_layout(contract, inputs, addresses)
    report: dict[str, object] = {
        "obligation": f"SP alignment: {detail}",
        "inputs": {k: (v.as_int() if isinstance(v, BV) else bytes(b.as_int() for b in v).hex())
                   for k, v in inputs.items()},
        "expected": "SP 16-byte aligned at every load/store based on SP (Linux sets SCTLR_EL1.SA0)",
        "symbolic_actual": f"SP = {found.sp:#x} at pc {found.pc:#x}",
        "buffer_addresses": {k: hex(v) for k, v in addresses.items()},
    }
    try:
        got = run_lnsym_sp_fault(contract, image, regs, buffers, entry_from_model(found.model),
                                 spurious_failures(found.model))
    except Exception as exc:  # the replay itself failed: reported, and the counterexample does not replay
        got = f"run failed: {type(exc).__name__}: {exc}"
    report["replay_lnsym"] = got if isinstance(got, str) else [
        f"SP alignment fault at pc {got[0]:#x} with SP = {got[1]:#x}"]
    report["replay_unicorn"] = "cannot reproduce an SP alignment fault (Unicorn does not enforce SCTLR_EL1.SA0)"
    report["replays"] = not isinstance(got, str) and got[0] == found.pc
    return report


def counterexample(contract: Contract, image: Image, found: OutOfBounds, detail: str) -> dict[str, object]:
    """The inputs, and the replay on both machines: ``replays`` when each one's first access outside the
    declared objects is this one (same PC, overlapping bytes)."""
    inputs = concrete_inputs(contract, found.model)
    addresses = model_addresses(contract, image, found.model)
    regs, buffers = buffer_layout(contract, inputs, addresses)
    entry = entry_from_model(found.model)
    objects = declared(image, buffers)
    report: dict[str, object] = {
        "obligation": f"memory safety: {detail}",
        "inputs": {k: (v.as_int() if isinstance(v, BV) else bytes(b.as_int() for b in v).hex())
                   for k, v in inputs.items()},
        "expected": "every load and store inside the declared objects (buffers, stack, image)",
        "symbolic_actual": f"{found.kind} of {found.size} byte(s) at " + (
            found.symbolic_address if found.symbolic_address.startswith("0x")
            else f"{found.address:#x} ({found.symbolic_address})"),
        "out_of_bounds": {"pc": hex(found.pc), "kind": found.kind, "size": found.size,
                          "address": hex(found.address), "at": found.symbolic_address},
    }
    used = {k: hex(v) for k, v in sorted(found.model.items()) if k[0] in "xvn" and k.endswith("_in")}
    if used:
        report["entry_registers"] = used
    report["buffer_addresses"] = {k: hex(v) for k, v in addresses.items()}
    ok = True
    spurious = spurious_failures(found.model)
    for label, runner in (("lnsym", run_lnsym), ("unicorn", run_unicorn)):
        if spurious and label == "unicorn":
            report["replay_unicorn"] = ("cannot reproduce a spurious store-exclusive failure (Unicorn has no "
                                        "failure injection)")
            continue
        try:
            got = runner(contract, image, regs, buffers, entry,  # type: ignore[operator]
                         *((spurious,) if label == "lnsym" else ()))
        except ImportError:
            report[f"replay_{label}"] = "not available"
            continue
        except Exception as exc:  # the replay itself failed: reported, and the counterexample does not replay
            got = f"run failed: {type(exc).__name__}: {exc}"
        report[f"replay_{label}"] = describe(got, objects)
        ok = ok and not isinstance(got, str) and got.pc == found.pc and got.overlaps(found.address, found.size)
    report["replays"] = ok
    return report
