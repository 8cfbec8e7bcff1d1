"""Concrete replay of a contract's routine on chosen inputs: on lnsym's concrete machine and on
Unicorn, compared with the spec evaluated on the same inputs.  The entry registers a counterexample
constrains (``x<n>_in``, ``v<n>_in``, ``nzcv_in``, ``tpidr_el0``, a narrow scalar's upper bits
``<name>@hi``), the stack bytes it reads (``stack[k]``, the caller's frame included) and, where they can
be mapped, its buffer addresses (``&<name>``) are replayed with the model's values; an ``alias_of``
buffer is passed as the same pointer as the buffer it aliases.

Besides the outputs, each machine's run is checked against the prover's frame obligations: X19-X29,
D8-D15 and SP restored, X18 (the platform register) preserved, FPCR restored, TPIDR_EL0 preserved, no
store to the caller's frame (at and above the entry SP) and every writable image segment as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from bitvec import BV, Value
from bitvec.term import lift
from lnsym.errors import LnsymError
from lnsym.machine.concrete import ConcreteMachine, spurious_failures
from lnsym.machine.layout import (
    BUFFER_BASE,
    BUFFER_STRIDE,
    CALLEE_SAVED_X,
    ENTRY_SP,
    MASK64,
    PLATFORM_REGISTER,
    SENTINEL,
    STACK_BASE,
    STACK_SIZE,
)
from lnsym.machine.memory import Memory
from lnsym.machine.stepper import Stepper
from lnsym.machine.uc_engine import map_pages, new_engine, read_x, write_registers
from lnsym.prove.contract import Buffer, BufferOut, Contract, Inputs, Return, Scalar

D_SEED = 0xD8D8_0000_0000_0000
TPIDR_SEED = 0x7D7D_0000_0000_0000
ENTRY_NAME = re.compile(r"(x|v)(\d+)_in|nzcv_in|tpidr_el0|[^\s\[\]]+@hi")
STACK_BYTE = re.compile(r"stack\[(\d+)\]")
SAVED_X = range(PLATFORM_REGISTER, CALLEE_SAVED_X.stop)  # X18 (preserved) and X19-X29 (callee-saved)


class Entry(NamedTuple):
    """The machine state at the call: X0-X30, V0-V31, NZCV, TPIDR_EL0, and stack bytes (offset in the stack
    region -> value) a model gives."""

    x: list[int]
    v: list[int]
    nzcv: int
    tpidr: int = TPIDR_SEED
    stack: Mapping[int, int] = {}


def entry_from_model(model: Mapping[str, int]) -> Entry:
    """The model's entry registers where it has them; else X18-X29 and D8-D15 get distinct seeds, the rest 0."""
    x = [model.get(f"x{n}_in", 0x1919_0000_0000_0000 + n if n in SAVED_X else 0) for n in range(31)]
    v = [model.get(f"v{n}_in", D_SEED + n if n in range(8, 16) else 0) for n in range(32)]
    stack = {int(m.group(1)): value & 0xFF for name, value in model.items()
             if (m := STACK_BYTE.fullmatch(name)) and int(m.group(1)) < STACK_SIZE}
    return Entry(x, v, model.get("nzcv_in", 0), model.get("tpidr_el0", TPIDR_SEED), stack)


def derived_bytes(arg: Buffer, inputs: Inputs) -> list[Value]:
    """A derived buffer's initial bytes, checked to be ``size`` 8-bit values."""
    data = list(arg.derived(inputs))  # type: ignore[misc]
    if len(data) != arg.size or any(lift(b, 8).width != 8 for b in data):
        raise LnsymError(f"buffer {arg.name}: derived contents must be {arg.size} 8-bit values")
    return data


def concrete_inputs(contract: Contract, model: dict[str, int]) -> Inputs:
    """The contract's inputs as a model gives them: ghosts and scalars (fixed values as stated), buffers from
    their derivation, their fixed data, or the model's bytes (``name[k]``) over the fixed ones; an alias gets
    the other buffer's bytes.  ``inputs.upper`` holds each narrow scalar's upper register bits (``<name>@hi``)
    for the replay's X registers."""
    inputs = Inputs()
    for g in contract.ghosts:
        inputs[g.name] = BV(g.width, model.get(g.name, 0))
    for arg in contract.args:
        if isinstance(arg, Scalar):
            inputs[arg.name] = BV(arg.width, arg.value if arg.value is not None else model.get(arg.name, 0))
            if arg.width < 64:
                inputs.upper[arg.name] = model.get(f"{arg.name}@hi", 0) & ((1 << (64 - arg.width)) - 1)
        elif arg.alias_of is not None:
            continue
        elif arg.derived is not None:
            inputs[arg.name] = [BV(8, lift(b, 8).as_int()) for b in derived_bytes(arg, inputs)]
        elif arg.data is not None:
            inputs[arg.name] = [BV(8, b) for b in arg.data]
        else:
            fixed = {off + k: b for off, chunk in arg.fixed for k, b in enumerate(chunk)}
            inputs[arg.name] = [BV(8, fixed.get(k, model.get(f"{arg.name}[{k}]", 0))) for k in range(arg.size)]
    for arg in contract.args:
        if isinstance(arg, Buffer) and arg.alias_of is not None:
            inputs[arg.name] = inputs[arg.alias_of]
    return inputs


def _pages(start: int, size: int) -> range:
    return range(start >> 12, (start + max(size, 1) + 0xFFF) >> 12)


def _own(contract: Contract) -> list[tuple[int, Buffer]]:
    """The buffer arguments with their own memory (not an ``alias_of`` another), with their argument index."""
    return [(i, a) for i, a in enumerate(contract.args) if isinstance(a, Buffer) and a.alias_of is None]


def model_addresses(contract: Contract, image: object, model: Mapping[str, int]) -> dict[str, int]:
    """Each buffer's address from the model (``&<name>``) where both machines can map it there: below 2^48, its
    pages disjoint from the image, the stack, the other buffers and the fixed layout's slots; the other
    buffers keep the fixed layout."""
    taken = [_pages(seg.start, len(seg.data)) for seg in image.segments]  # type: ignore[attr-defined]
    taken.append(_pages(STACK_BASE, STACK_SIZE))
    taken += [_pages(BUFFER_BASE + i * BUFFER_STRIDE, a.size) for i, a in _own(contract)]
    out: dict[str, int] = {}
    for _, arg in _own(contract):
        address = model.get(f"&{arg.name}")
        if address is None or address + arg.size > 1 << 48:
            continue
        pages = _pages(address, arg.size)
        if not any(p.start < pages.stop and pages.start < p.stop for p in taken):
            taken.append(pages)
            out[arg.name] = address
    return out


def buffer_layout(contract: Contract, inputs: Inputs, addresses: Mapping[str, int] | None = None,
            ) -> tuple[list[int], dict[str, tuple[int, bytes, bool]]]:
    """X0.. for the call (a narrow scalar with its upper bits from ``inputs.upper``; an alias the address of
    the buffer it aliases) and the buffers to map: name -> (address, bytes, writable), aliases not repeated."""
    buffers: dict[str, tuple[int, bytes, bool]] = {}
    for i, arg in _own(contract):
        address = (addresses or {}).get(arg.name, BUFFER_BASE + i * BUFFER_STRIDE)
        data = bytes(b.as_int() for b in inputs[arg.name])
        writable = any(isinstance(a, Buffer) and a.writable and arg.name in (a.name, a.alias_of)
                       for a in contract.args)
        buffers[arg.name] = (address, data, writable)
    regs: list[int] = []
    for arg in contract.args:
        if isinstance(arg, Scalar):
            regs.append(inputs[arg.name].as_int() | getattr(inputs, "upper", {}).get(arg.name, 0) << arg.width)
        else:
            regs.append(buffers[arg.alias_of or arg.name][0])
    return regs, buffers


def read_outputs(contract: Contract, read_x0: int, read_buffer: Mapping[str, bytes]) -> dict[str, list[int]]:
    got: dict[str, list[int]] = {}
    aliases = {a.name: a.alias_of for a in contract.args if isinstance(a, Buffer) and a.alias_of is not None}
    for o in contract.outputs:
        if isinstance(o, Return):
            got[o.name] = [read_x0 & ((1 << o.width) - 1)]
        elif isinstance(o, BufferOut):
            data = read_buffer[o.buffer] if o.buffer in read_buffer else read_buffer[aliases[o.buffer]]
            offset, count = o.span(len(data))
            got[o.buffer] = [int.from_bytes(data[offset + k * o.element : offset + (k + 1) * o.element], "little")
                             for k in range(count)]
    return got


def expected_outputs(contract: Contract, inputs: Inputs) -> dict[str, list[int]]:
    spec = contract.spec(inputs)
    out: dict[str, list[int]] = {}
    for o in contract.outputs:
        key = o.name if isinstance(o, Return) else o.buffer
        value = spec[key]
        values: list[Value] = list(value) if isinstance(value, list | tuple) else [value]  # type: ignore[arg-type]
        out[key] = [v if isinstance(v, int) else v.as_int() for v in values]
    return out


class _WatchedMemory(Memory):
    """lnsym's memory, remembering the addresses of stores into the caller's frame ``[ENTRY_SP, stack top)``."""

    def __init__(self) -> None:
        super().__init__()
        self.frame_writes: list[int] = []

    def write(self, address: int, data: bytes) -> None:
        super().write(address, data)
        if address < STACK_BASE + STACK_SIZE and ENTRY_SP < address + len(data):
            self.frame_writes.append(address)


def _stack_bytes(entry: Entry) -> bytearray:
    stack = bytearray(STACK_SIZE)
    for off, value in entry.stack.items():
        stack[off] = value
    return stack


def lnsym_machine(image: object, buffers: Mapping[str, tuple[int, bytes, bool]], entry: Entry,
                  spurious: frozenset[int] = frozenset()) -> ConcreteMachine:
    """lnsym's concrete machine set up for the call: the image's segments, the stack (with the model's bytes)
    and the buffers mapped exactly, the registers, NZCV and TPIDR_EL0 from ``entry``, SP below the stack top;
    the store-exclusives numbered in ``spurious`` fail spuriously (a model's ``stxr<k>_spurious_fail``)."""
    m = ConcreteMachine(memory=_WatchedMemory(), spurious_failures=spurious)
    for seg in image.segments:  # type: ignore[attr-defined]
        m.memory.map(seg.start, len(seg.data), seg.perms or "r", seg.name, bytes(seg.data))
    m.memory.map(STACK_BASE, STACK_SIZE, "rw", "stack", bytes(_stack_bytes(entry)))
    for name, (address, data, writable) in buffers.items():
        m.memory.map(address, max(len(data), 1), "rw" if writable else "r", name, data)
    m.x, m.v, m.flags = list(entry.x), list(entry.v), entry.nzcv
    m.sysregs["TPIDR_EL0"] = entry.tpidr
    m.sp = ENTRY_SP
    return m


@dataclass
class Outcome:
    """What a replayed call ended with, for the outputs and the frame obligations."""

    x0: int
    buffers: dict[str, bytes]
    x: dict[int, int]  # X18-X29
    d: dict[int, int]  # D8-D15
    sp: int
    fpcr: int
    tpidr: int
    frame_writes: list[int] = field(default_factory=list)  # addresses of stores into the caller's frame
    segments: dict[str, bytes] = field(default_factory=dict)  # final bytes of the writable image segments


def _writable_segments(image: object) -> list[object]:
    return [seg for seg in image.segments if "w" in (seg.perms or "")]  # type: ignore[attr-defined]


def run_lnsym(contract: Contract, image: object, regs: list[int], buffers: dict[str, tuple[int, bytes, bool]],
              entry: Entry, spurious: frozenset[int] = frozenset()) -> Outcome:
    m = lnsym_machine(image, buffers, entry, spurious)
    Stepper(m).call(image.address(contract.symbol), regs, sentinel=SENTINEL,  # type: ignore[attr-defined]
                    max_steps=contract.max_steps)
    final = {name: m.memory.read(address, len(data)) for name, (address, data, _) in buffers.items()}
    segments = {seg.name: m.memory.read(seg.start, len(seg.data))  # type: ignore[attr-defined]
                for seg in _writable_segments(image)}
    return Outcome(m.x[0], final, {n: m.x[n] for n in SAVED_X}, {n: m.v[n] & MASK64 for n in range(8, 16)}, m.sp,
                   m.sysregs["FPCR"], m.sysregs["TPIDR_EL0"], list(m.memory.frame_writes),  # type: ignore[attr-defined]
                   segments)


def unicorn_call(image: object, regs: list[int], buffers: Mapping[str, tuple[int, bytes, bool]],
                 entry: Entry) -> object:
    """A Unicorn machine set up for the call: the image's segments, the stack (with the model's bytes) and the
    buffers mapped (whole pages), X0.. the arguments, the other registers, NZCV and TPIDR_EL0 from ``entry``,
    LR the sentinel."""
    uc = new_engine()
    for seg in image.segments:  # type: ignore[attr-defined]
        map_pages(uc, seg.start, bytes(seg.data))
    map_pages(uc, STACK_BASE, bytes(_stack_bytes(entry)))
    for address, data, _ in buffers.values():
        map_pages(uc, address, data)
    x = [regs[n] if n < len(regs) else entry.x[n] for n in range(30)] + [SENTINEL]
    write_registers(uc, x, sp=ENTRY_SP, v=entry.v, nzcv=entry.nzcv, tpidr=entry.tpidr)
    return uc


def run_unicorn(contract: Contract, image: object, regs: list[int], buffers: dict[str, tuple[int, bytes, bool]],
                entry: Entry) -> Outcome:
    import unicorn
    import unicorn.arm64_const as A

    uc = unicorn_call(image, regs, buffers, entry)
    frame_writes: list[int] = []

    def on_write(_uc: object, _access: int, address: int, _size: int, _value: int, _data: object) -> None:
        frame_writes.append(address)

    uc.hook_add(unicorn.UC_HOOK_MEM_WRITE, on_write,  # type: ignore[attr-defined]
                begin=ENTRY_SP, end=STACK_BASE + STACK_SIZE - 1)
    uc.emu_start(image.address(contract.symbol), SENTINEL, count=contract.max_steps)  # type: ignore[attr-defined]
    final = {name: bytes(uc.mem_read(address, len(data))) for name, (address, data, _) in buffers.items()}  # type: ignore
    segments = {seg.name: bytes(uc.mem_read(seg.start, len(seg.data)))  # type: ignore[attr-defined]
                for seg in _writable_segments(image)}
    x = {n: read_x(uc, n) for n in SAVED_X}
    d = {n: uc.reg_read(A.UC_ARM64_REG_Q0 + n) & MASK64 for n in range(8, 16)}  # type: ignore[attr-defined]
    return Outcome(uc.reg_read(A.UC_ARM64_REG_X0), final, x, d, uc.reg_read(A.UC_ARM64_REG_SP),  # type: ignore
                   uc.reg_read(A.UC_ARM64_REG_FPCR), uc.reg_read(A.UC_ARM64_REG_TPIDR_EL0),  # type: ignore
                   frame_writes, segments)


def frame_differences(image: object, entry: Entry, got: Outcome) -> list[str]:
    """The frame obligations a run broke (see the module docstring)."""
    diffs: list[str] = []
    if any(got.x[n] != entry.x[n] for n in range(19, 30)):
        diffs.append("callee-saved X19-X29 not restored")
    if got.x[18] != entry.x[18]:
        diffs.append(f"X18 (platform register) not preserved: {entry.x[18]:#x} at entry, {got.x[18]:#x} at return")
    if any(got.d[n] != entry.v[n] & MASK64 for n in range(8, 16)):
        diffs.append("callee-saved D8-D15 not restored")
    if got.sp != ENTRY_SP:
        diffs.append("SP not restored")
    if got.fpcr != 0:
        diffs.append(f"FPCR not restored: 0 at entry, {got.fpcr:#x} at return")
    if got.tpidr != entry.tpidr:
        diffs.append(f"TPIDR_EL0 not preserved: {entry.tpidr:#x} at entry, {got.tpidr:#x} at return")
    if got.frame_writes:
        diffs.append(f"{len(got.frame_writes)} store(s) to the caller's frame (at and above the entry SP "
                     f"{ENTRY_SP:#x}), first at {got.frame_writes[0]:#x}")
    for seg in _writable_segments(image):
        final = got.segments.get(seg.name)  # type: ignore[attr-defined]
        if final is not None and final != bytes(seg.data):  # type: ignore[attr-defined]
            first = next(k for k, (a, b) in enumerate(zip(final, seg.data)) if a != b)  # type: ignore[attr-defined]
            diffs.append(f"{seg.name} changed (first at +{first:#x})")  # type: ignore[attr-defined]
    return diffs


def replay_concrete(contract: Contract, image: object, inputs: Inputs, obligation: str,
                    model: Mapping[str, int] | None = None) -> dict[str, object]:
    """Replay on lnsym and on Unicorn (entry registers, upper bits and stack bytes from ``model``); report the
    outputs that differ from the spec and the frame obligations broken."""
    addresses = model_addresses(contract, image, model or {})
    regs, buffers = buffer_layout(contract, inputs, addresses)
    entry = entry_from_model(model or {})
    expected = expected_outputs(contract, inputs)
    report: dict[str, object] = {}
    used = {k: hex(v) for k, v in sorted((model or {}).items()) if ENTRY_NAME.fullmatch(k)}
    if used:
        report["entry_registers"] = used
    if addresses:
        report["buffer_addresses"] = {k: hex(v) for k, v in addresses.items()}
    spurious = spurious_failures(model or {})
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
        except (LnsymError, Exception) as exc:
            report[f"replay_{label}"] = f"run failed: {exc}"
            continue
        outputs = read_outputs(contract, got.x0, got.buffers)
        diffs = [
            f"{key}[{k}]: expected {e:#x}, got {g:#x}"
            for key in expected
            for k, (e, g) in enumerate(zip(expected[key], outputs.get(key, [])))
            if e != g
        ]
        diffs += frame_differences(image, entry, got)
        report[f"replay_{label}"] = diffs or ["no difference on these inputs"]
    report["replays"] = all(
        isinstance(v, list) and v != ["no difference on these inputs"] for k, v in report.items()
        if k == "replay_lnsym"
    )
    return report
