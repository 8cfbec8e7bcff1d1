"""The machine-state interface the semantics execute against (Arm ARM J1, shared pseudocode).

lnsym's concrete and symbolic states both implement :class:`Machine`; executors only ever call
these methods, passing and receiving bit-vector values (:mod:`bitvec`).
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from bitvec import Value


class BranchType(Enum):
    """ASL ``BranchType`` (the subset user-mode code produces)."""

    DIR = "direct"
    DIRCALL = "call"
    INDIR = "indirect"
    INDCALL = "indirect-call"
    RET = "return"


class AccessKind(Enum):
    """ASL ``AccessType``, reduced to what changes behaviour here."""

    NORMAL = "normal"
    UNPRIV = "unprivileged"
    ORDERED = "ordered"
    EXCLUSIVE = "exclusive"
    ORDERED_EXCLUSIVE = "ordered-exclusive"
    STREAM = "non-temporal"


class StopKind(Enum):
    SVC = "svc"
    BRK = "brk"
    HLT = "hlt"
    UDF = "udf"


class Stop(Exception):
    """An instruction that ends straight-line user-mode execution (SVC, BRK, HLT, UDF).

    Raised by executors; the stepper turns it into a typed stop event at the faulting PC.
    """

    def __init__(self, kind: StopKind, imm: int) -> None:
        super().__init__(f"{kind.value} #{imm:#x}")
        self.kind = kind
        self.imm = imm


class Machine(Protocol):
    """Register, flag and memory accessors mirroring ASL ``X[]``, ``SP[]``, ``V[]``, ``PSTATE``, ``Mem[]``."""

    def X(self, n: int, width: int) -> Value:
        """ASL ``X[n, width]``: register ``n`` (31 reads as zero), low ``width`` bits."""

    def set_X(self, n: int, value: Value) -> None:
        """ASL ``X[n, width] = value``: writes zero-extended to 64 bits; ``n == 31`` is discarded."""

    def SP(self, width: int) -> Value:
        """ASL ``SP[]``: the stack pointer, low ``width`` bits."""

    def set_SP(self, value: Value) -> None:
        """ASL ``SP[] = value`` (zero-extended to 64 bits)."""

    def V(self, n: int) -> Value:
        """128-bit SIMD&FP register ``n``."""

    def set_V(self, n: int, value: Value) -> None: ...

    @property
    def PC(self) -> Value:
        """Address of the instruction being executed (64 bits)."""

    def branch_to(self, target: Value, kind: BranchType) -> None:
        """ASL ``BranchTo``: the next instruction comes from ``target`` (may be an if-then-else)."""

    def nzcv(self) -> Value:
        """``PSTATE.<N,Z,C,V>`` as a 4-bit value, N most significant."""

    def set_nzcv(self, value: Value) -> None: ...

    def sysreg(self, name: str) -> Value:
        """A 64-bit system register readable at EL0 (``FPCR``, ``FPSR``, ``TPIDR_EL0`` ...)."""

    def set_sysreg(self, name: str, value: Value) -> None: ...

    def mem_read(self, address: Value, size: int, kind: AccessKind) -> Value:
        """ASL ``Mem[address, size, acctype]``: ``size`` bytes, little-endian, as ``8*size`` bits."""

    def mem_write(self, address: Value, size: int, value: Value, kind: AccessKind) -> None: ...

    def check_alignment(self, address: Value, size: int, kind: AccessKind) -> None:
        """Raise an alignment fault if ``address`` is not ``size``-aligned (exclusive/ordered accesses)."""

    def check_sp_alignment(self) -> None:
        """ASL ``CheckSPAlignment``: an SP alignment fault if SP is not 16-byte aligned.  User mode (EL0) under
        Linux, which sets ``SCTLR_EL1.SA0``: every load/store whose base register is SP checks it."""

    def set_exclusive_monitor(self, address: Value, size: int) -> None:
        """ASL ``AArch64.SetExclusiveMonitors``."""

    def exclusive_monitor_pass(self, address: Value, size: int) -> Value:
        """ASL ``AArch64.ExclusiveMonitorsPass``: 1-bit result (a constant on concrete machines, a term when
        a symbolic state cannot decide it, e.g. a possible spurious failure); clears the monitor."""

    def clear_exclusive_monitor(self) -> None:
        """ASL ``ClearExclusiveLocal``."""
