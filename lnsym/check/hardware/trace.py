"""The lnsym trace format, version 1 (JSON Lines), and its validator.  Documented in docs/conformance-traces.md;
the JSON Schema is ``trace.schema.json`` beside this module.

A trace is a sequence of records, one JSON object per line.  A ``machine`` record (the recording machine's
MIDR_EL1, HWCAP/HWCAP2, kernel, page size) comes first; the ``test`` records after it were recorded on that
machine.  A test record holds the instruction word(s), the initial state (X0-X30, SP, PC, NZCV, FPCR, FPSR,
TPIDR_EL0, V0-V31), every memory region the test may touch (address, size, permissions, a fill pattern and
byte runs over it), and either ``skipped`` (a feature the machine lacks) or the final state, the bytes that
changed and the signal that ended the test (SIGTRAP at a ``brk``, or the fault).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lnsym.errors import LnsymError

FORMAT, VERSION = "lnsym-trace", 1
MASK64 = (1 << 64) - 1
BRK0 = 0xD420_0000
FILLS = ("zero", "brk", "hash")
SIGNALS = ("SIGTRAP", "SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGALRM", "none")
KINDS = ("single", "sequence")


class TraceError(LnsymError):
    """A malformed trace: names the file, record (line) number and field."""


def fill_byte(fill: str, address: int) -> int:
    """The byte a region's fill pattern puts at ``address`` (the harness computes the same in C)."""
    if fill == "brk":
        return (BRK0 >> (8 * (address & 3))) & 0xFF
    if fill == "hash":
        return ((((address >> 2) * 0x9E37_79B1) & 0xFFFF_FFFF) >> (8 * (address & 3))) & 0xFF
    return 0


@lru_cache(maxsize=16)
def fill_image(fill: str, address: int, size: int) -> bytes:
    """``size`` bytes of a fill pattern from ``address`` (cached: every test maps the same regions)."""
    if fill == "zero":
        return bytes(size)
    if fill == "brk" and address % 4 == 0 and size % 4 == 0:
        return BRK0.to_bytes(4, "little") * (size // 4)
    return bytes(fill_byte(fill, address + a) for a in range(size))


@dataclass
class Region:
    """A mapped memory region: ``size`` bytes at ``address`` with ``perm`` (``rwx`` letters or ``-``),
    filled by ``fill`` and then overwritten by the ``runs`` (offset, bytes)."""

    address: int
    size: int
    perm: str
    fill: str
    runs: list[tuple[int, bytes]] = field(default_factory=list)

    def contents(self) -> bytes:
        data = bytearray(fill_image(self.fill, self.address, self.size))
        for offset, chunk in self.runs:
            data[offset : offset + len(chunk)] = chunk
        return bytes(data)


@dataclass
class State:
    """Architectural state at the start or end of a test."""

    x: list[int]
    sp: int
    pc: int
    nzcv: int
    fpcr: int = 0
    fpsr: int = 0
    tpidr_el0: int = 0
    v: list[int] = field(default_factory=lambda: [0] * 32)


@dataclass
class Ending:
    """The signal that ended the test: SIGTRAP at a ``brk`` (the normal end), or a fault."""

    signal: str
    code: int = 0
    address: int = 0


@dataclass
class TestRecord:
    """One test: its words, initial state and memory, and what the machine did (or why it was skipped)."""

    id: int
    kind: str
    encoding: str
    feature: str
    words: list[int]
    initial: State
    memory: list[Region]
    final: State | None = None
    changes: dict[int, int] = field(default_factory=dict)  # address -> byte after the test, where it changed
    ending: Ending | None = None
    skipped: str = ""

    __test__ = False  # not a pytest class


@dataclass
class MachineRecord:
    midr_el1: int
    hwcap: int
    hwcap2: int
    kernel: str
    page_size: int


# ------------------------------------------------------------------------------------------------
# validation: every field checked with a one-line error naming the record and the field


class _Fields:
    def __init__(self, obj: Any, where: str) -> None:
        if not isinstance(obj, dict):
            raise TraceError(f"{where}: expected a JSON object, got {type(obj).__name__}")
        self.obj, self.where = obj, where

    def take(self, name: str, kind: type | tuple[type, ...], optional: bool = False) -> Any:
        if name not in self.obj:
            if optional:
                return None
            raise TraceError(f"{self.where}: missing field '{name}'")
        value = self.obj[name]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise TraceError(f"{self.where}: field '{name}' has the wrong type ({type(value).__name__})")
        return value

    def number(self, name: str, bits: int = 64) -> int:
        value = self.take(name, (str, int))
        return _number(value, f"{self.where}: field '{name}'", bits)

    def sub(self, name: str) -> _Fields:
        return _Fields(self.take(name, dict), f"{self.where}.{name}")

    def done(self, allowed: set[str]) -> None:
        unknown = sorted(set(self.obj) - allowed)
        if unknown:
            raise TraceError(f"{self.where}: unknown field '{unknown[0]}'")


def _number(value: Any, where: str, bits: int) -> int:
    if isinstance(value, bool):
        raise TraceError(f"{where} is not a number")
    if isinstance(value, str):
        try:
            value = int(value, 16) if value.lower().startswith("0x") else int(value, 16 if value else 10)
        except ValueError:
            raise TraceError(f"{where} is not a hexadecimal number: {value[:40]!r}") from None
    if not isinstance(value, int) or not 0 <= value < 1 << bits:
        raise TraceError(f"{where} is not a {bits}-bit unsigned number")
    return value


def _hex_bytes(value: Any, where: str) -> bytes:
    if not isinstance(value, str):
        raise TraceError(f"{where} is not a hex string")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise TraceError(f"{where} is not a hex byte string") from None


_STATE_FIELDS = {"x", "sp", "pc", "nzcv", "fpcr", "fpsr", "tpidr_el0", "v"}


def _state(f: _Fields) -> State:
    xs = f.take("x", list)
    vs = f.take("v", list)
    if len(xs) != 31:
        raise TraceError(f"{f.where}: field 'x' must list X0-X30 (31 values, got {len(xs)})")
    if len(vs) != 32:
        raise TraceError(f"{f.where}: field 'v' must list V0-V31 (32 values, got {len(vs)})")
    f.done(_STATE_FIELDS)
    return State(
        x=[_number(v, f"{f.where}: field 'x[{i}]'", 64) for i, v in enumerate(xs)],
        sp=f.number("sp"), pc=f.number("pc"), nzcv=f.number("nzcv", 4),
        fpcr=f.number("fpcr", 32), fpsr=f.number("fpsr", 32), tpidr_el0=f.number("tpidr_el0"),
        v=[_number(v, f"{f.where}: field 'v[{i}]'", 128) for i, v in enumerate(vs)],
    )


def _region(obj: Any, where: str) -> Region:
    f = _Fields(obj, where)
    perm = f.take("perm", str)
    fill = f.take("fill", str)
    if len(perm) != 3 or any(c not in "rwx-" for c in perm):
        raise TraceError(f"{where}: field 'perm' must be three of r/w/x/- (got {perm!r})")
    if fill not in FILLS:
        raise TraceError(f"{where}: field 'fill' must be one of {', '.join(FILLS)} (got {fill!r})")
    region = Region(f.number("address"), f.number("size", 32), perm, fill)
    for k, run in enumerate(f.take("runs", list)):
        if not (isinstance(run, list) and len(run) == 2):
            raise TraceError(f"{where}: field 'runs[{k}]' must be [offset, hex]")
        offset = _number(run[0], f"{where}: field 'runs[{k}][0]'", 32)
        chunk = _hex_bytes(run[1], f"{where}: field 'runs[{k}][1]'")
        if offset + len(chunk) > region.size:
            raise TraceError(f"{where}: field 'runs[{k}]' runs past the region's end")
        region.runs.append((offset, chunk))
    f.done({"address", "size", "perm", "fill", "runs"})
    return region


def _test(f: _Fields) -> TestRecord:
    kind = f.take("kind", str)
    if kind not in KINDS:
        raise TraceError(f"{f.where}: field 'kind' must be one of {', '.join(KINDS)} (got {kind!r})")
    words = [_number(w, f"{f.where}: field 'words[{i}]'", 32) for i, w in enumerate(f.take("words", list))]
    if not words:
        raise TraceError(f"{f.where}: field 'words' is empty")
    rec = TestRecord(
        id=f.take("id", int), kind=kind, encoding=f.take("encoding", str), feature=f.take("feature", str),
        words=words, initial=_state(f.sub("initial")),
        memory=[_region(r, f"{f.where}.memory[{i}]") for i, r in enumerate(f.take("memory", list))],
    )
    skipped = f.take("skipped", str, optional=True)
    if skipped is not None:
        rec.skipped = skipped
        f.done({"record", "id", "kind", "encoding", "feature", "words", "initial", "memory", "skipped"})
        return rec
    rec.final = _state(f.sub("final"))
    for i, change in enumerate(f.take("changes", list)):
        if not (isinstance(change, list) and len(change) == 2):
            raise TraceError(f"{f.where}: field 'changes[{i}]' must be [address, hex]")
        start = _number(change[0], f"{f.where}: field 'changes[{i}][0]'", 64)
        for k, byte in enumerate(_hex_bytes(change[1], f"{f.where}: field 'changes[{i}][1]'")):
            rec.changes[start + k] = byte
    e = f.sub("ending")
    signal = e.take("signal", str)
    if signal not in SIGNALS:
        raise TraceError(f"{e.where}: field 'signal' must be one of {', '.join(SIGNALS)} (got {signal!r})")
    rec.ending = Ending(signal, e.take("code", int), e.number("address"))
    e.done({"signal", "code", "address"})
    f.done({"record", "id", "kind", "encoding", "feature", "words", "initial", "memory", "final", "changes", "ending"})
    return rec


def _machine(f: _Fields) -> MachineRecord:
    if f.take("format", str) != FORMAT:
        raise TraceError(f"{f.where}: field 'format' must be {FORMAT!r}")
    version = f.take("version", int)
    if version != VERSION:
        raise TraceError(f"{f.where}: field 'version' is {version}; this lnsym reads version {VERSION}")
    rec = MachineRecord(f.number("midr_el1"), f.number("hwcap"), f.number("hwcap2"), f.take("kernel", str),
                        f.take("page_size", int))
    f.done({"record", "format", "version", "midr_el1", "hwcap", "hwcap2", "kernel", "page_size"})
    return rec


def parse_record(line: str, where: str) -> TestRecord | MachineRecord:
    """One trace line as a record; a malformed one raises :class:`TraceError` naming ``where`` and the field."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise TraceError(f"{where}: not JSON ({exc.msg} at column {exc.colno}; truncated line?)") from None
    f = _Fields(obj, where)
    kind = f.take("record", str)
    if kind == "machine":
        return _machine(f)
    if kind == "test":
        return _test(f)
    raise TraceError(f"{where}: field 'record' must be 'machine' or 'test' (got {kind!r})")


def read_trace(path: str | Path) -> Iterator[tuple[MachineRecord, TestRecord]]:
    """Every test record of a trace with the machine that recorded it; errors name the line."""
    machine: MachineRecord | None = None
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise TraceError(f"{path}: cannot read the trace ({exc.strerror})") from None
    with handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise TraceError(f"{path}: record {number}: not UTF-8 text") from None
            if not line.strip():
                continue
            record = parse_record(line, f"{path}: record {number}")
            if isinstance(record, MachineRecord):
                machine = record
            elif machine is None:
                raise TraceError(f"{path}: record {number}: a test record before any machine record")
            else:
                yield machine, record
