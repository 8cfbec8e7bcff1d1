"""The concrete machine state: integer registers, flags, vector registers and region memory."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bitvec import BV, Value
from isa.machine import AccessKind, BranchType
from lnsym.errors import LnsymError, MemoryFault, UnpredictableBehaviour
from lnsym.load.image import Image
from lnsym.machine.memory import Memory

MASK64 = (1 << 64) - 1

SYSREGS = ("FPCR", "FPSR", "TPIDR_EL0")
SP_ALIGNMENT_DETAIL = "SP alignment fault: SP is not 16-byte aligned at a load/store based on SP (SCTLR_EL1.SA0)"


SPURIOUS_FAILURE = re.compile(r"stxr(\d+)_spurious_fail")


def spurious_failure_name(k: int) -> str:
    """The symbolic executor's 1-bit variable that is 1 when the k-th store-exclusive of a path (from 0) fails
    spuriously (:meth:`lnsym.symbolic.executor.SymState.exclusive_monitor_pass`)."""
    return f"stxr{k}_spurious_fail"


def spurious_failures(model: Mapping[str, int]) -> frozenset[int]:
    """The store-exclusives (by index in execution order) a model makes fail spuriously: what a replay
    injects (:attr:`ConcreteMachine.spurious_failures`)."""
    return frozenset(int(m.group(1)) for name, value in model.items()
                     if value and (m := SPURIOUS_FAILURE.fullmatch(name)))


def _int(v: Value, what: str) -> int:
    if type(v) is BV:
        return v.val
    if v.is_const:
        return v.as_int()
    raise TypeError(f"concrete machine cannot hold a symbolic {what}")


@dataclass
class ExclusiveMonitor:
    address: int | None = None
    size: int = 0


@dataclass
class ConcreteMachine:
    """Implements :class:`isa.machine.Machine` over Python ints."""

    x: list[int] = field(default_factory=lambda: [0] * 31)
    sp: int = 0
    pc: int = 0
    flags: int = 0  # NZCV in bits 3..0
    v: list[int] = field(default_factory=lambda: [0] * 32)
    sysregs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SYSREGS, 0))
    memory: Memory = field(default_factory=Memory)
    monitor: ExclusiveMonitor = field(default_factory=ExclusiveMonitor)
    next_pc: int | None = None
    last_branch: BranchType | None = None
    # failure injection for replays: the store-exclusives (numbered from 0 in execution order) that fail
    # spuriously even when the monitor passes them, as real hardware may (Arm ARM B2.9.5)
    spurious_failures: frozenset[int] = frozenset()
    exclusive_stores: int = 0

    # -- registers ----------------------------------------------------------------------------------

    @classmethod
    def from_image(cls, image: Image) -> ConcreteMachine:
        """A fresh machine with every segment of ``image`` mapped with its permissions, the PC at its entry."""
        m = cls()
        map_image(m, image)
        if image.entry is not None:
            m.pc = image.entry
        return m
    def X(self, n: int, width: int) -> BV:
        return BV(width, self.x[n]) if n != 31 else BV(width, 0)

    def set_X(self, n: int, value: Value) -> None:
        if n != 31:
            self.x[n] = _int(value, f"X{n}")

    def SP(self, width: int) -> BV:
        return BV(width, self.sp)

    def set_SP(self, value: Value) -> None:
        self.sp = _int(value, "SP")

    def V(self, n: int) -> BV:
        return BV(128, self.v[n])

    def set_V(self, n: int, value: Value) -> None:
        if value.width != 128:
            raise ValueError(f"V{n} write of {value.width} bits")
        self.v[n] = _int(value, f"V{n}")

    @property
    def PC(self) -> BV:
        return BV(64, self.pc)

    def branch_to(self, target: Value, kind: BranchType) -> None:
        self.next_pc = _int(target, "branch target") & MASK64
        self.last_branch = kind

    def nzcv(self) -> BV:
        return BV(4, self.flags)

    def set_nzcv(self, value: Value) -> None:
        self.flags = _int(value, "NZCV")

    def sysreg(self, name: str) -> BV:
        return BV(64, self.sysregs[name])

    def set_sysreg(self, name: str, value: Value) -> None:
        self.sysregs[name] = _int(value, name)

    # -- memory -------------------------------------------------------------------------------------
    def mem_read(self, address: Value, size: int, kind: AccessKind) -> BV:
        return BV(8 * size, self.memory.read_int(_int(address, "address"), size))

    def mem_write(self, address: Value, size: int, value: Value, kind: AccessKind) -> None:
        self.memory.write_int(_int(address, "address"), size, _int(value, "stored value"))

    def check_alignment(self, address: Value, size: int, kind: AccessKind) -> None:
        a = _int(address, "address")
        if a % size:
            raise MemoryFault(a, size, "alignment", f"{kind.value} access must be {size}-byte aligned")

    def check_sp_alignment(self) -> None:
        """ASL ``CheckSPAlignment`` with ``SCTLR_EL1.SA0`` set (Linux): SP must be 16-byte aligned."""
        if self.sp % 16:
            raise MemoryFault(self.sp, 16, "sp-alignment", SP_ALIGNMENT_DETAIL)

    def set_exclusive_monitor(self, address: Value, size: int) -> None:
        self.monitor = ExclusiveMonitor(_int(address, "address"), size)

    def exclusive_monitor_pass(self, address: Value, size: int) -> BV:
        """Passes when the monitor marks this address (a different address fails, as on QEMU) unless this
        store-exclusive is listed in ``spurious_failures``."""
        k = self.exclusive_stores
        self.exclusive_stores += 1
        a = _int(address, "address")
        if self.monitor.address == a and self.monitor.size != size:
            raise UnpredictableBehaviour(
                f"store-exclusive of {size} byte(s) at {a:#x} after a load-exclusive of {self.monitor.size}: "
                "CONSTRAINED UNPREDICTABLE (Arm ARM, AArch64.ExclusiveMonitorsPass)"
            )
        ok = self.monitor.address == a and k not in self.spurious_failures
        self.monitor = ExclusiveMonitor()
        return BV(1, int(ok))

    def clear_exclusive_monitor(self) -> None:
        self.monitor = ExclusiveMonitor()


def map_image(machine: ConcreteMachine, image: Image) -> None:
    """Map every segment of ``image`` into ``machine.memory`` with its permissions."""
    for seg in image.segments:
        try:
            machine.memory.map(seg.start, len(seg.data), seg.perms, seg.name, bytes(seg.data))
        except ValueError as exc:
            raise LnsymError(f"{image.name}: cannot map {seg.name}: {exc}") from None
