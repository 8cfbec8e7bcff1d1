"""Symbolic path states: registers, flags, vectors and memory as terms with a concrete PC and a path
condition (:class:`SymState`, an :class:`isa.machine.Machine`), the Z3 solver that decides path conditions,
and how a path ends (:class:`PathEnd`)."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from enum import StrEnum

import z3

from bitvec import BV, Value, var
from bitvec.term import Term, evaluate, lift, postorder, variables
from bitvec.z3backend import to_z3
from isa.machine import AccessKind, BranchType
from lnsym.errors import LnsymError
from lnsym.machine.concrete import spurious_failure_name
from lnsym.symbolic.machine import TermRegisters
from lnsym.symbolic.memory import SymbolicMemoryError, SymMemory
from lnsym.symbolic.pretty import pretty

MASK64 = (1 << 64) - 1
SMALL_CONDITION = 64  # nodes: a path condition this small is left to Z3 when looking for a witness (Solver.witnessed)


class Solver:
    """Z3 with a translation cache shared across queries (terms are hash-consed)."""

    def __init__(self, timeout_ms: int = 60_000) -> None:
        self.cache: dict[int, object] = {}
        self.z3 = z3.Solver()
        self.z3.set("timeout", timeout_ms)
        self.queries = 0
        self.seconds = 0.0

    def _bool(self, t: Term) -> z3.BoolRef:
        return to_z3(t, self.cache) == 1

    def satisfiable(self, conditions: list[Term]) -> bool:
        """Can all 1-bit ``conditions`` hold together?"""
        if any(c.op == "const" and c.params[0] == 0 for c in conditions):
            return False
        live = [c for c in conditions if c.op != "const"]
        if not live:
            return True
        start = time.perf_counter()
        self.z3.push()
        try:
            self.z3.add(*[self._bool(c) for c in live])
            result = self.z3.check()
        finally:
            self.z3.pop()
            self.queries += 1
            self.seconds += time.perf_counter() - start
        if result == z3.unknown:
            if self.witnessed(live):
                return True
            raise LnsymError(f"solver gave up (timeout) on a path condition of {len(live)} constraints")
        return result == z3.sat

    def witnessed(self, live: list[Term], tries: int = 64, timeout_ms: int = 5_000) -> bool:
        """A concrete assignment satisfying every condition of ``live`` (then they can hold together, whatever
        the solver said): the variables of the small conditions (buffer addresses, loop bounds) from a model of
        those, the others (data a large condition such as a flag of computed words depends on) drawn at random.
        Sound: each condition is evaluated on the assignment; False only means none was found."""
        sizes = [len(postorder(c)) for c in live]
        small = [c for c, n in zip(live, sizes, strict=True) if n <= SMALL_CONDITION]
        names = variables(live)
        fixed: dict[str, int] = {}
        if small:
            solver = z3.Solver()
            solver.set("timeout", timeout_ms)
            solver.add(*[self._bool(c) for c in small])
            if solver.check() != z3.sat:
                return False
            model = solver.model()
            fixed = {n: model.eval(z3.BitVec(n, w), model_completion=True).as_long()
                     for n, w in variables(small).items()}
        rng = random.Random(len(live))
        for _ in range(tries):
            env = {n: fixed[n] if n in fixed else rng.getrandbits(w) for n, w in names.items()}
            if all(evaluate(c, env).val for c in live):
                return True
        return False

    def valid(self, conditions: list[Term], claim: Term) -> bool:
        """Does ``claim`` hold in every state satisfying ``conditions``?"""
        if claim.op == "const":
            return bool(claim.params[0])
        return not self.satisfiable([*conditions, ~claim])


@dataclass
class SymState(TermRegisters):
    """Registers, flags, vectors and memory as terms; the PC concrete; a path condition."""

    x: list[Value] = field(default_factory=lambda: [var(f"x{i}", 64) for i in range(31)])
    sp: Value = field(default_factory=lambda: var("sp", 64))
    pc: int = 0
    flags: Value = field(default_factory=lambda: var("nzcv", 4))
    v: list[Value] = field(default_factory=lambda: [var(f"v{i}", 128) for i in range(32)])
    sysregs: dict[str, Value] = field(
        default_factory=lambda: {"FPCR": BV(64, 0), "FPSR": BV(64, 0), "TPIDR_EL0": var("tpidr_el0", 64)}
    )
    memory: SymMemory = field(default_factory=SymMemory)
    path: list[Term] = field(default_factory=list)
    steps: int = 0
    next_pc: Value | None = None
    solver: Solver | None = None
    monitor: tuple[Value, int] | None = None
    loops: dict[int, int] = field(default_factory=dict)  # branch pc -> times taken with both ways feasible
    exclusive_stores: int = 0  # store-exclusives executed on this path (names their spurious-failure variables)

    def copy(self) -> SymState:
        return SymState(
            list(self.x), self.sp, self.pc, self.flags, list(self.v), dict(self.sysregs), self.memory.copy(),
            list(self.path), self.steps, None, self.solver, self.monitor, dict(self.loops), self.exclusive_stores,
        )

    # -- Machine (register accessors from TermRegisters) ----------------------------------------------
    @property
    def PC(self) -> Value:
        return BV(64, self.pc)

    def branch_to(self, target: Value, kind: BranchType) -> None:
        self.next_pc = target

    def _prove(self, claim: Term) -> bool:
        return self.solver is not None and self.solver.valid(self.path, claim)

    def mem_read(self, address: Value, size: int, kind: AccessKind) -> Value:
        try:
            return self.memory.read(address, size, self._prove)
        except SymbolicMemoryError as exc:
            exc.access = MemoryAccess(address, size, "read")  # type: ignore[attr-defined]
            raise

    def mem_write(self, address: Value, size: int, value: Value, kind: AccessKind) -> None:
        try:
            self.memory.write(address, size, value, self._prove)
        except SymbolicMemoryError as exc:
            exc.access = MemoryAccess(address, size, "write")  # type: ignore[attr-defined]
            raise

    def check_alignment(self, address: Value, size: int, kind: AccessKind) -> None:
        low = lift(address, 64).extract(5, 0) if size > 1 else None
        if low is not None and not self._aligned(address, size):
            raise SymbolicMemoryError(f"{kind.value} access at {address!r} may be misaligned")

    def _aligned(self, address: Value, size: int) -> bool:
        claim = (lift(address, 64) & (size - 1)).eq(0)
        return (claim.op == "const" and bool(claim.params[0])) or self._prove(claim)

    def check_sp_alignment(self) -> None:
        """ASL ``CheckSPAlignment`` at EL0 with ``SCTLR_EL1.SA0`` set (as Linux sets it): the path goes on only
        where SP mod 16 == 0 is proved; otherwise it ends on an SP alignment fault (SIGBUS on Linux)."""
        if not self._aligned(self.sp, 16):
            exc = SPAlignmentError(f"SP alignment fault: SP = {pretty(lift(self.sp, 64))} may not be 16-byte "
                                   "aligned at a load/store based on SP (SCTLR_EL1.SA0, SIGBUS on Linux)")
            exc.access = MemoryAccess(self.sp, 16, "sp-alignment")  # type: ignore[attr-defined]
            raise exc

    def set_exclusive_monitor(self, address: Value, size: int) -> None:
        self.monitor = (address, size)

    def exclusive_monitor_pass(self, address: Value, size: int) -> Value:
        """ASL ``AArch64.ExclusiveMonitorsPass`` as a 1-bit term: ``monitor set AND address == marked address
        AND NOT spurious``, with ``stxr<k>_spurious_fail`` a fresh variable for the k-th store-exclusive of
        the path (a store-exclusive may fail for no visible reason, e.g. an interrupt or a cache eviction
        clearing the monitor; Arm ARM B2.9.5).  A store-exclusive after no load-exclusive fails.  With the
        monitor set, an address that may differ from the load-exclusive's, or a different size at a
        possibly equal address, is CONSTRAINED UNPREDICTABLE (pass or fail, UNKNOWN status and data; Arm ARM
        B2.9.5, K1.2): the path ends with an error rather than picking one behaviour.  Clears the monitor."""
        k = self.exclusive_stores
        self.exclusive_stores += 1
        monitor, self.monitor = self.monitor, None
        if monitor is None:
            return BV(1, 0)
        marked, marked_size = monitor
        same = lift(marked, 64).eq(lift(address, 64))
        where = f"store-exclusive of {size} byte(s) at {pretty(lift(address, 64))}"
        if not self._holds(same):
            raise LnsymError(f"{where} may differ from the load-exclusive's address "
                             f"{pretty(lift(marked, 64))}: CONSTRAINED UNPREDICTABLE (Arm ARM B2.9.5)")
        if marked_size != size:
            raise LnsymError(f"{where} after a load-exclusive of {marked_size} byte(s) at the same address: "
                             "CONSTRAINED UNPREDICTABLE (Arm ARM, AArch64.ExclusiveMonitorsPass)")
        return same & ~var(spurious_failure_name(k), 1)

    def _holds(self, claim: Term) -> bool:
        """``claim`` is constant 1 or proved under the path condition."""
        return (claim.op == "const" and bool(claim.params[0])) or self._prove(claim)

    def clear_exclusive_monitor(self) -> None:
        self.monitor = None


class SPAlignmentError(LnsymError):
    """A load or store based on SP where SP may not be 16-byte aligned (``CheckSPAlignment``)."""


@dataclass
class MemoryAccess:
    """A load or store the symbolic memory could not place (:class:`SymbolicMemoryError`)."""

    address: Value
    size: int
    kind: str  # read, write


class PathEndReason(StrEnum):
    """Why a path ended (a ``str``: the JSON and messages show the value)."""

    RETURNED = "returned"  # reached the return sentinel: its obligations are checked
    ERROR = "error"  # an error on this path (e.g. a memory access the model cannot place, a fault)
    INFEASIBLE = "infeasible"  # no successor is feasible under the path condition
    NEEDS_INVARIANT = "needs-invariant"  # a loop with a symbolic exit condition passed the loop limit
    STEP_LIMIT = "step-limit"
    PATH_LIMIT = "path-limit"
    SVC = "svc"  # the stop instructions (isa.machine.StopKind)
    BRK = "brk"
    HLT = "hlt"
    UDF = "udf"


@dataclass
class PathEnd:
    """How one path ended: ``returned`` (reached the sentinel), a stop event, or an error; ``access`` is the
    load or store an ``error`` path ended on, when a memory error ended it (the PC and path condition are the
    state's)."""

    state: SymState
    reason: PathEndReason
    detail: str = ""
    access: MemoryAccess | None = None


class NeedsInvariant(LnsymError):
    """A branch with a symbolic condition, feasible both ways, reached more often than the loop limit."""


