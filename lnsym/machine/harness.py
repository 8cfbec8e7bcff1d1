"""Call one routine of a loaded image the way AAPCS64 does, and check that it kept the rules.

The procedure call standard (AAPCS64, "Procedure Call Standard for the Arm 64-bit Architecture")
fixes what the harness sets up and checks:

* arguments in X0–X7 and then 8-byte stack slots at the entry SP (6.8.2), return value in X0;
* SP 16-byte aligned at the call (6.4.5.1), LR (X30) holds the return address — here a sentinel
  that is never mapped, so the run ends when the routine returns to it;
* X19–X29 and SP, and the low 64 bits of V8–V15 (D8–D15), are callee-saved (6.1.1, 6.1.2): the
  harness fills every register with random values at entry and reports each one not restored;
* X18 is the platform register (6.1.1): lnsym's policy is that a routine preserves it, as Apple's and
  Windows' ABIs require (they reserve it) and OpenSSL's assembly honours; FPCR must be restored and
  TPIDR_EL0 (the thread pointer) preserved -- each change is reported as a violation.

Buffers are mapped in their own read-write regions with unmapped guard gaps either side, so an
overrun faults.  Writes are tracked: outside the buffers and the stack they are reported — writes
into the caller's frame (at or above the entry SP, beyond the stack arguments) as violations, writes
to the image's writable data (``.data``, ``.bss``, undefined-symbol storage) as notes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

from lnsym.errors import LnsymError
from lnsym.load.image import Image
from lnsym.machine.concrete import ConcreteMachine, map_image
from lnsym.machine.layout import CALLEE_SAVED_D, CALLEE_SAVED_X, MASK64, PLATFORM_REGISTER, SENTINEL
from lnsym.machine.memory import Memory
from lnsym.machine.stepper import Stepper

PAGE = 0x1000
GUARD = 0x10000
BUFFER_BASE = 0x10_0000_0000
STACK_TOP = 0x7F_FFF0_0000


@dataclass(frozen=True)
class Buffer:
    """A memory argument: the routine receives the address of a fresh copy of ``data``.  Passing
    the same Buffer object twice passes one region twice (e.g. ``r = a * a`` with aliased inputs)."""

    data: bytes
    name: str = ""

    @classmethod
    def zeros(cls, n: int, name: str = "") -> Buffer:
        return cls(bytes(n), name)


Arg = int | Buffer | bytes


class _TrackingMemory(Memory):
    """Memory that remembers every write outside the ``allowed`` address ranges."""

    def __init__(self) -> None:
        super().__init__()
        self.allowed: list[tuple[int, int]] = []
        self.stray: list[tuple[int, int]] = []

    def write(self, address: int, data: bytes) -> None:
        super().write(address, data)
        end = address + len(data)
        for lo, hi in self.allowed:
            if lo <= address and end <= hi:
                return
        self.stray.append((address, len(data)))


@dataclass
class CallReport:
    """The outcome of one call: X0, the final buffers, steps, and what broke the PCS."""

    symbol: str
    entry: int
    stop: str  # "return", or how the run ended otherwise (svc, brk, hlt, udf)
    x0: int
    steps: int
    buffers: list[bytes]
    buffer_addresses: list[int]
    violations: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.stop == "return" and not self.violations

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["entry"] = f"{self.entry:#x}"
        d["x0"] = f"{self.x0:#x}"
        d["buffers"] = [b.hex() for b in self.buffers]
        d["buffer_addresses"] = [f"{a:#x}" for a in self.buffer_addresses]
        d["ok"] = self.ok
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1)

    def describe(self) -> str:
        lines = [f"{self.symbol} @ {self.entry:#x}: {self.stop} after {self.steps} steps, X0 = {self.x0:#x}"]
        for i, (a, b) in enumerate(zip(self.buffer_addresses, self.buffers)):
            lines.append(f"  buffer {i} @ {a:#x} ({len(b)} bytes): {b.hex()}")
        lines += [f"  violation: {v}" for v in self.violations]
        lines += [f"  note: {n}" for n in self.notes]
        lines.append("  PCS: ok" if self.ok else "  PCS: NOT ok")
        return "\n".join(lines)


def _segment_of(image: Image, address: int) -> str:
    seg = image.segment_at(address)
    return seg.name if seg is not None else "unmapped memory"


def _poke(machine: ConcreteMachine, image: Image, name: str, value: int | bytes) -> None:
    """Set the contents of a data symbol (e.g. ``OPENSSL_armcap_P``) before the call."""
    sym = image.symbol(name)
    if isinstance(value, bytes):
        data = value
    else:
        width = 8 if sym.kind == "undefined" or sym.size not in (1, 2, 4, 8) else sym.size
        data = (value & ((1 << (8 * width)) - 1)).to_bytes(width, "little")
    seg = image.segment_at(sym.address)
    if seg is None or sym.address + len(data) > seg.end:
        raise LnsymError(f"cannot define {name}: {len(data)} bytes at {sym.address:#x} leave its segment")
    machine.memory.load(sym.address, data)


def call(
    image: Image,
    symbol: str | int,
    args: Sequence[Arg] = (),
    max_steps: int = 10_000_000,
    defines: Mapping[str, int | bytes] | None = None,
    seed: int = 0,
    stack_size: int = 1 << 20,
) -> CallReport:
    """Call ``symbol`` (a name or an address) with ``args``; see the module docstring."""
    entry = image.address(symbol) if isinstance(symbol, str) else symbol
    label = symbol if isinstance(symbol, str) else f"{symbol:#x}"
    memory = _TrackingMemory()
    m = ConcreteMachine(memory=memory)
    map_image(m, image)
    for name, value in (defines or {}).items():
        _poke(m, image, name, value)
    rng = random.Random(seed)
    m.x = [rng.getrandbits(64) for _ in range(31)]
    m.v = [rng.getrandbits(128) for _ in range(32)]
    m.flags = rng.getrandbits(4)
    m.sysregs["TPIDR_EL0"] = rng.getrandbits(64)
    saved_sys = {"FPCR": m.sysregs["FPCR"], "TPIDR_EL0": m.sysregs["TPIDR_EL0"]}

    values: list[int] = []
    buffers: list[tuple[int, int]] = []
    cursor = BUFFER_BASE
    placed: dict[int, int] = {}  # id(Buffer) -> address: one Buffer passed twice is one region
    for i, a in enumerate(args):
        if isinstance(a, Buffer) and id(a) in placed:
            values.append(placed[id(a)])
            continue
        if isinstance(a, bytes):
            a = Buffer(a)
        if isinstance(a, Buffer):
            placed[id(a)] = cursor
            if a.data:
                m.memory.map(cursor, len(a.data), "rw", f"buffer {i}{' ' + a.name if a.name else ''}", a.data)
                memory.allowed.append((cursor, cursor + len(a.data)))
            buffers.append((cursor, len(a.data)))
            values.append(cursor)
            cursor += (len(a.data) + PAGE - 1) // PAGE * PAGE + GUARD
        elif isinstance(a, int):
            values.append(a & MASK64)
        else:
            raise LnsymError(f"argument {i}: expected an int or a Buffer, got {type(a).__name__}")

    stack_args = values[8:]
    sp = (STACK_TOP - 0x100 - 8 * len(stack_args)) & ~0xF
    m.memory.map(STACK_TOP - stack_size, stack_size, "rw", "stack")
    for k, v in enumerate(stack_args):
        m.memory.write_int(sp + 8 * k, 8, v)
    args_end = sp + 8 * len(stack_args)
    memory.allowed.append((STACK_TOP - stack_size, args_end))
    m.sp = sp
    saved_x = {n: m.x[n] for n in CALLEE_SAVED_X}
    saved_x18 = m.x[PLATFORM_REGISTER]
    saved_d = {n: m.v[n] & MASK64 for n in CALLEE_SAVED_D}

    stepper = Stepper(m)
    event = stepper.call(entry, values[:8], sentinel=SENTINEL, max_steps=max_steps)
    stop = "return" if event.reason == "sentinel" else event.reason
    violations: list[str] = []
    notes: list[str] = []
    if stop == "return":
        for n, before in saved_x.items():
            if m.x[n] != before:
                violations.append(f"X{n} is callee-saved but changed from {before:#x} to {m.x[n]:#x}")
        for n, before in saved_d.items():
            if m.v[n] & MASK64 != before:
                violations.append(f"D{n} (low half of V{n}) is callee-saved but changed from {before:#x} "
                                  f"to {m.v[n] & MASK64:#x}")
        if m.sp != sp:
            violations.append(f"SP not restored: {sp:#x} at entry, {m.sp:#x} at return")
        if m.x[PLATFORM_REGISTER] != saved_x18:
            violations.append(f"X18 is the platform register (preserved, as Apple and Windows require) but changed "
                              f"from {saved_x18:#x} to {m.x[PLATFORM_REGISTER]:#x}")
        for name, before in saved_sys.items():
            if m.sysregs[name] != before:
                what = "restored" if name == "FPCR" else "preserved"
                violations.append(f"{name} not {what}: {before:#x} at entry, {m.sysregs[name]:#x} at return")
    else:
        notes.append(f"ended by {stop} at pc {event.pc:#x}" + (f" (imm {event.imm:#x})" if event.imm else ""))
    stray: dict[str, list[int]] = {}
    for address, _size in memory.stray:
        where = "the caller's frame (above the entry SP)" if args_end <= address < STACK_TOP \
            else _segment_of(image, address)
        stray.setdefault(where, []).append(address)
    for where, addresses in stray.items():
        text = f"{len(addresses)} write(s) to {where}, first at {addresses[0]:#x}"
        (violations if where.startswith("the caller") else notes).append(text)
    final = [m.memory.read(a, n) if n else b"" for a, n in buffers]
    return CallReport(label, entry, stop, m.x[0], event.steps, final, [a for a, _ in buffers], violations, notes)
