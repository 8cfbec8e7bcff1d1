"""A symbolic machine state: registers, flags and memory bytes hold bit-vector terms.

This is the minimal state the semantics are tested against symbolically; the symbolic stepper with
path splitting and the full memory model build on it.  Memory addresses must evaluate to constants
here (symbolic addresses are the engine's business).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bitvec import BV, Value, concat, var
from isa.machine import AccessKind, BranchType
from lnsym.errors import LnsymError, MemoryFault

MASK64 = (1 << 64) - 1


class SymbolicAddressError(LnsymError):
    """A memory access whose address is not a constant reached the minimal symbolic state."""


def _address(address: Value) -> int:
    if not address.is_const:
        raise SymbolicAddressError(f"symbolic address {address!r} (needs the symbolic memory model)")
    return address.as_int() & MASK64


class TermRegisters:
    """Register accessors shared by the term-valued states (``x``, ``sp``, ``v`` hold values;
    X31 reads zero, writes are zero-extended to 64 bits as ASL ``X[]``/``SP[]`` say)."""

    x: list[Value]
    sp: Value
    v: list[Value]
    flags: Value
    sysregs: dict[str, Value]

    def X(self, n: int, width: int) -> Value:
        if n == 31:
            return BV(width, 0)
        r = self.x[n]
        return r if width == 64 else r.extract(width - 1, 0)

    def set_X(self, n: int, value: Value) -> None:
        if n != 31:
            self.x[n] = value.zext(64)

    def SP(self, width: int) -> Value:
        return self.sp if width == 64 else self.sp.extract(width - 1, 0)

    def set_SP(self, value: Value) -> None:
        self.sp = value.zext(64)

    def V(self, n: int) -> Value:
        return self.v[n]

    def set_V(self, n: int, value: Value) -> None:
        if value.width != 128:  # the same rule as the concrete machine's: a V write is the whole register
            raise ValueError(f"V{n} write of {value.width} bits")
        self.v[n] = value

    def nzcv(self) -> Value:
        return self.flags

    def set_nzcv(self, value: Value) -> None:
        self.flags = value

    def sysreg(self, name: str) -> Value:
        return self.sysregs[name]

    # -- by name, as proof scripts and loop invariants write them ----------------------------------------
    def register(self, name: str) -> Value:
        """``x0``-``x30``, ``v0``-``v31``, ``sp`` or ``nzcv`` (any case)."""
        r = name.lower()
        if r == "sp":
            return self.sp
        if r == "nzcv":
            return self.flags
        if r[:1] in "xv" and r[1:].isdigit() and int(r[1:]) < (31 if r[0] == "x" else 32):
            return self.x[int(r[1:])] if r[0] == "x" else self.v[int(r[1:])]
        raise LnsymError(f"no register {name!r} (x0-x30, v0-v31, sp, nzcv)")

    def set_register(self, name: str, value: Value) -> None:
        """Set a register by name to ``value`` at its width (an int takes the register's width)."""
        from bitvec.term import lift

        width = lift(self.register(name), None).width
        value = lift(value, width)
        if value.width != width:
            raise LnsymError(f"{name} holds {width} bits, not {value.width}")
        r = name.lower()
        if r == "sp":
            self.sp = value
        elif r == "nzcv":
            self.flags = value
        elif r[0] == "x":
            self.x[int(r[1:])] = value
        else:
            self.v[int(r[1:])] = value

    def set_sysreg(self, name: str, value: Value) -> None:
        self.sysregs[name] = value


@dataclass
class SymbolicMachine(TermRegisters):
    """Implements :class:`isa.machine.Machine` with term-valued state; fresh variables by default."""

    x: list[Value] = field(default_factory=lambda: [var(f"x{i}", 64) for i in range(31)])
    sp: Value = field(default_factory=lambda: var("sp", 64))
    pc: Value = field(default_factory=lambda: BV(64, 0))
    flags: Value = field(default_factory=lambda: var("nzcv", 4))
    v: list[Value] = field(default_factory=lambda: [var(f"v{i}", 128) for i in range(32)])
    sysregs: dict[str, Value] = field(
        default_factory=lambda: {n: var(n.lower(), 64) for n in ("FPCR", "FPSR", "TPIDR_EL0")}
    )
    memory: dict[int, Value] = field(default_factory=dict)  # address -> 8-bit value
    default_byte: dict[int, Value] = field(default_factory=dict)
    next_pc: Value | None = None
    branch_kind: BranchType | None = None
    monitor: tuple[Value, int] | None = None

    @property
    def PC(self) -> Value:
        return self.pc

    def branch_to(self, target: Value, kind: BranchType) -> None:
        self.next_pc = target
        self.branch_kind = kind

    def _byte(self, address: int) -> Value:
        b = self.memory.get(address)
        if b is None:
            b = self.default_byte.get(address)
            if b is None:
                b = var(f"mem_{address:x}", 8)
        return b

    def mem_read(self, address: Value, size: int, kind: AccessKind) -> Value:
        a = _address(address)
        return concat(*[self._byte((a + i) & MASK64) for i in reversed(range(size))])

    def mem_write(self, address: Value, size: int, value: Value, kind: AccessKind) -> None:
        a = _address(address)
        for i in range(size):
            self.memory[(a + i) & MASK64] = value.extract(8 * i + 7, 8 * i)

    def check_alignment(self, address: Value, size: int, kind: AccessKind) -> None:
        a = _address(address)
        if a % size:
            raise SymbolicAddressError(f"misaligned {kind.value} access at {a:#x}")

    def check_sp_alignment(self) -> None:
        """ASL ``CheckSPAlignment`` (``SCTLR_EL1.SA0`` set): SP must be a 16-byte aligned constant here."""
        sp = _address(self.sp)
        if sp % 16:
            raise MemoryFault(sp, 16, "sp-alignment", "SP is not 16-byte aligned at a load/store based on SP")

    def set_exclusive_monitor(self, address: Value, size: int) -> None:
        self.monitor = (address, size)

    def exclusive_monitor_pass(self, address: Value, size: int) -> Value:
        ok = self.monitor is not None and _address(self.monitor[0]) == _address(address)
        self.monitor = None
        return BV(1, int(ok))

    def clear_exclusive_monitor(self) -> None:
        self.monitor = None
