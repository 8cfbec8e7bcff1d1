"""Symbolic memory: named regions with concrete or symbolic bases, holding stored values as cells.

* A region is ``[base, base + size)``; ``base`` is a constant or a symbolic pointer (a variable).
  Distinct regions are assumed disjoint -- an assumption every result reports.
* Accesses at a constant offset from a region's base are exact and cheap: a stored value is kept
  as one cell, so reading back the same bytes returns the same term (no byte soup), and partial
  reads are extracts of it.
* A symbolic offset into a small region is resolved as an ``ite`` over the possible offsets, after
  the solver has proved it in bounds; anything else is a reported error, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bitvec import BV, Value, concat, ite, var
from bitvec.term import Term, lift, postorder, rebuild
from lnsym.errors import LnsymError

MASK64 = (1 << 64) - 1
MAX_SYMBOLIC_OFFSET_REGION = 4096


class SymbolicMemoryError(LnsymError):
    """An access the symbolic memory model cannot place exactly (outside every region, or unresolvable)."""


@dataclass
class Cell:
    size: int
    value: Value


@dataclass
class SymRegion:
    """A buffer, the stack or a section: ``size`` bytes at ``base``."""

    name: str
    base: Value
    size: int
    writable: bool = True
    init: bytes | None = None  # concrete initial contents; None means fresh symbolic bytes
    fixed: dict[int, int | Value] = field(default_factory=dict)  # byte offset -> given initial byte
    cells: dict[int, Cell] = field(default_factory=dict)  # start offset -> cell
    owner: dict[int, int] = field(default_factory=dict)  # byte offset -> start of its cell

    def copy(self) -> SymRegion:
        return SymRegion(self.name, self.base, self.size, self.writable, self.init, self.fixed, dict(self.cells),
                         dict(self.owner))

    def initial_byte(self, off: int) -> Value:
        if self.init is not None:
            return BV(8, self.init[off])
        if off in self.fixed:
            given = self.fixed[off]
            return BV(8, given) if isinstance(given, int) else given
        return var(f"{self.name}[{off}]", 8)

    def byte(self, off: int) -> Value:
        start = self.owner.get(off)
        if start is None:
            return self.initial_byte(off)
        cell = self.cells[start]
        k = off - start
        return cell.value.extract(8 * k + 7, 8 * k) if cell.size > 1 else cell.value

    def _check(self, off: int, size: int) -> None:
        """Every access is inside ``[0, size)``: a byte past the end must never become a fresh input or be
        silently dropped (callers place accesses first; this is the last line of defence)."""
        if not (0 <= off and size >= 1 and off + size <= self.size):
            raise SymbolicMemoryError(
                f"access of {size} byte(s) at offset {off:#x} is outside region {self.name} ({self.size} bytes)"
            )

    def read(self, off: int, size: int) -> Value:
        self._check(off, size)
        cell = self.cells.get(off)
        if cell is not None and cell.size == size:
            return cell.value
        return concat(*[self.byte(off + i) for i in reversed(range(size))])

    def write(self, off: int, size: int, value: Value) -> None:
        self._check(off, size)
        for b in range(off, off + size):
            start = self.owner.get(b)
            if start is not None and start in self.cells:
                self._split(start)
        self.cells[off] = Cell(size, value)
        for b in range(off, off + size):
            self.owner[b] = off

    def _split(self, start: int) -> None:
        """Turn a multi-byte cell into one-byte cells (before part of it is overwritten)."""
        cell = self.cells.pop(start)
        for k in range(cell.size):
            byte = cell.value.extract(8 * k + 7, 8 * k) if cell.size > 1 else cell.value
            self.cells[start + k] = Cell(1, byte)
            self.owner[start + k] = start + k


def decided(t: Term, prove: Callable[[Term], bool]) -> Term:
    """``t`` with every ``ite`` whose condition the path decides replaced by that side (an address computed
    by ``csel`` on a flag the path condition fixes); ``t`` itself when it has no ``ite``."""
    nodes = postorder([t])
    if not any(n.op == "ite" for n in nodes):
        return t
    memo: dict[int, Term] = {}
    for node in nodes:
        args = [memo[a.serial] for a in node.args]
        if node.op == "ite":
            if prove(args[0]):
                memo[node.serial] = args[1]
                continue
            if prove(~args[0]):
                memo[node.serial] = args[2]
                continue
        memo[node.serial] = rebuild(node, args)
    return memo[t.serial]


def split_base(address: Term) -> tuple[Term | None, int]:
    """Write ``address`` as ``symbolic + constant`` when it is a chain of constant additions."""
    offset = 0
    t = address
    while True:
        if t.op == "const":
            return None, (offset + t.params[0]) & MASK64
        if t.op == "add" and t.args[1].op == "const":
            offset += t.args[1].params[0]
            t = t.args[0]
        elif t.op == "add" and t.args[0].op == "const":
            offset += t.args[0].params[0]
            t = t.args[1]
        else:
            return t, offset & MASK64


Prover = Callable[[Term], bool]  # proves a 1-bit term is 1 under the current path condition


@dataclass
class SymMemory:
    regions: list[SymRegion] = field(default_factory=list)

    def copy(self) -> SymMemory:
        return SymMemory([r.copy() for r in self.regions])

    def add(self, region: SymRegion) -> SymRegion:
        for r in self.regions:
            if r.name == region.name:
                raise ValueError(f"region {region.name} defined twice")
        self.regions.append(region)
        return region

    def region(self, name: str) -> SymRegion:
        for r in self.regions:
            if r.name == name:
                return r
        raise KeyError(name)

    def assumptions(self) -> list[str]:
        names = [r.name for r in self.regions]
        return [f"memory regions {', '.join(names)} are pairwise disjoint"] if len(names) > 1 else []

    def locate(self, address: Value, size: int, prove: Prover | None) -> tuple[SymRegion, int | Term]:
        """The region and offset (constant, or a term proved in bounds) of an access.  An address chosen by a
        condition the path decides (``csel`` on a flag the path condition fixes) is that side's address."""
        addr = lift(address, 64)
        if prove is not None:
            addr = decided(addr, prove)
        sym, const = split_base(addr)
        for r in self.regions:
            base = r.base
            if sym is None and type(base) is BV:
                off = (const - base.val) & MASK64
                if off >= r.size:
                    continue  # a constant address belongs to the region that contains it
            elif sym is not None and base is sym:
                off = const
            else:
                continue
            if off + size <= r.size:
                return r, off
            raise SymbolicMemoryError(
                f"access of {size} byte(s) at offset {off:#x} is outside region {r.name} ({r.size} bytes)"
            )
        # symbolic offset: try each small region whose base the solver can relate.  The access is inside
        # when its first byte's offset (modulo 2^64, so an address below the base wraps to a huge offset)
        # is at most size - width; a region smaller than the access holds it at no offset (the bound
        # size - width would be negative, and as a 64-bit constant it would wrap to a huge one).
        if prove is not None:
            for r in self.regions:
                if r.size > MAX_SYMBOLIC_OFFSET_REGION or size > r.size:
                    continue
                offset = addr - lift(r.base, 64)
                if prove(offset.ule(r.size - size)):
                    return r, offset
        raise SymbolicMemoryError(f"cannot place a {size}-byte access at {address!r} in any region")

    def read(self, address: Value, size: int, prove: Prover | None = None) -> Value:
        """``size`` bytes at ``address``; a symbolic offset (proved in ``[0, region size - size]``) reads as an
        ``ite`` over every offset it can take, offset 0 the default."""
        r, off = self.locate(address, size, prove)
        if isinstance(off, int):
            return r.read(off, size)
        result: Value = r.read(0, size)
        for o in range(1, r.size - size + 1):
            result = ite(off.eq(o), r.read(o, size), result)
        return result

    def write(self, address: Value, size: int, value: Value, prove: Prover | None = None) -> None:
        """Store ``value``; at a symbolic offset every possible ``size``-byte window ``o`` becomes
        ``ite(offset == o, value, current)``, in increasing ``o``, so each byte ends up as the value's byte
        for the one offset that covers it and keeps its contents for every other offset."""
        r, off = self.locate(address, size, prove)
        if not r.writable:
            raise SymbolicMemoryError(f"write of {size} byte(s) to read-only region {r.name}")
        if isinstance(off, int):
            r.write(off, size, value)
            return
        for o in range(0, r.size - size + 1):
            r.write(o, size, ite(off.eq(o), value, r.read(o, size)))
