"""Contracts: what a routine must compute, stated against ``crypto_specs``.

A contract names an object and a symbol, the routine's arguments (AAPCS64: X0..X7 in order), its
outputs and the specification they must equal.  Arguments are scalars (a symbolic value in a
register) or buffers (a pointer in a register to a region of symbolic or concrete bytes).  The
spec receives the symbolic inputs and returns the expected outputs; both are bit-vector terms, so
the same spec runs concretely for counterexample replay.

Example (see ``programs/crc32c.py``)::

    CONTRACT = Contract(
        name="crc32c_64", object="crc32c.o", symbol="crc32c_64",
        args=[Scalar("crc", 32), Buffer("data", 64)],
        outputs=[Return("crc", 32)],
        spec=lambda i: {"crc": crc32c_spec(i["crc"], i.bytes("data"))},
    )

In-place use is stated with ``Buffer("out", 16, writable=True, alias_of="in")``: one region, one pointer
passed twice.  :func:`check_contract` checks a contract before any proof (types, names, outputs, and the
spec's output shapes on random concrete inputs).
"""

from __future__ import annotations

import importlib.util
import os
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bitvec import BV, Value, concat
from lnsym.errors import LnsymError

__all__ = ["Arg", "Buffer", "BufferOut", "Contract", "Inputs", "Output", "Return", "Scalar", "Spec", "check_contract",
           "contract_file", "import_file", "load_contract_file", "random_inputs", "region_writable", "shared_region"]


@dataclass(frozen=True)
class Scalar:
    """A register argument of ``width`` bits in X<n>; symbolic unless ``value`` is given.  A narrower argument's
    upper ``64 - width`` bits are unspecified (AAPCS64 6.8.2: the callee, not the caller, extends a narrow
    integral argument): the prover gives them a fresh variable ``<name>@hi`` the spec never sees."""

    name: str
    width: int = 64
    value: int | None = None


@dataclass(frozen=True)
class Buffer:
    """A pointer argument to ``size`` bytes; contents symbolic unless ``data`` is given."""

    name: str
    size: int
    writable: bool = False
    align: int = 1
    data: bytes | None = None
    fixed: tuple[tuple[int, bytes], ...] = ()  # (offset, bytes) that are concrete in a symbolic buffer
    # contents as a function of the other inputs (e.g. a table precomputed from a ghost key): 8-bit values
    derived: Callable[[Inputs], Sequence[Value]] | None = None
    # in-place use: this pointer equals the one passed for buffer ``alias_of`` (same base, same bytes, same size);
    # its region is writable when either is, and the pair is not claimed disjoint
    alias_of: str | None = None


@dataclass(frozen=True)
class Return:
    """The return value in X0, ``width`` bits."""

    name: str
    width: int = 64


@dataclass(frozen=True)
class BufferOut:
    """A buffer's final contents, compared element by element (``element`` bytes, little-endian): ``count``
    elements from byte ``offset`` (by default the whole buffer).  The spec gives exactly that many values of
    ``8 * element`` bits; a part left out is stated in the result's assumptions as not compared."""

    buffer: str
    element: int = 4
    offset: int = 0
    count: int | None = None

    def span(self, size: int) -> tuple[int, int]:
        """``(offset, count)`` of the compared elements in a buffer of ``size`` bytes."""
        count = (size - self.offset) // self.element if self.count is None else self.count
        return self.offset, count


Arg = Scalar | Buffer
Output = Return | BufferOut


class Inputs(dict):  # type: ignore[type-arg]
    """The symbolic inputs handed to a spec: scalars by name, buffers as lists of bytes.  ``upper`` (not seen by
    specs) holds, for a concrete replay, the upper register bits of each narrow scalar."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.upper: dict[str, int] = {}

    def bytes(self, name: str) -> list[Value]:
        value = self[name]
        if not isinstance(value, list):
            raise LnsymError(f"input {name} is not a buffer")
        return value

    def words(self, name: str, size: int, byteorder: str = "little") -> list[Value]:
        """The buffer read as ``size``-byte words (little-endian as a load would, or big-endian)."""
        data = self.bytes(name)
        out = []
        for i in range(0, len(data), size):
            chunk = data[i : i + size]
            out.append(concat(*reversed(chunk)) if byteorder == "little" else concat(*chunk))
        return out


Spec = Callable[[Inputs], dict[str, Value | Sequence[Value]]]


@dataclass
class Contract:
    """A routine, its calling shape and the spec it must equal."""

    name: str
    object: str
    symbol: str
    args: list[Arg]
    outputs: list[Output]
    spec: Spec
    preconditions: list[str] = field(default_factory=list)  # stated assumptions, shown in results
    member: str | None = None
    defines: dict[str, int | bytes] = field(default_factory=dict)
    ghosts: list[Scalar] = field(default_factory=list)  # symbolic inputs not passed in registers
    max_steps: int = 200_000
    origin: Path | None = None

    def object_path(self, override: str | None = None) -> Path:
        if override:
            return Path(override)
        path = Path(self.object)
        if not path.is_absolute() and self.origin is not None:
            path = self.origin.parent / path
        return path


def import_file(path: Path, what: str) -> object:
    """Import a user's Python file (a contract file, a proof script); a missing file, or one whose import
    fails, is a one-line :class:`LnsymError` naming ``what`` and the file."""
    if not path.is_file():
        raise LnsymError(f"no {what} {path}")
    spec = importlib.util.spec_from_file_location(f"lnsym_{what.replace(' ', '_')}_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise LnsymError(f"cannot import {what} {path}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a user's file: report, do not crash
        raise LnsymError(f"{what} {path} failed to import: {type(exc).__name__}: {exc}") from None
    return module


def load_contract_file(path: str | os.PathLike[str]) -> list[Contract]:
    """Import a contract file and return its ``CONTRACT`` or ``CONTRACTS``."""
    p = Path(path)
    module = import_file(p, "contract file")
    found = getattr(module, "CONTRACTS", None) or [getattr(module, "CONTRACT", None)]
    contracts = [c for c in found if isinstance(c, Contract)]
    if not contracts:
        raise LnsymError(f"contract file {p} defines no CONTRACT or CONTRACTS")
    for c in contracts:
        c.origin = p
    return contracts


# -- contract checks (before any symbolic execution) ----------------------------------------------------------


def contract_file(contract: Contract) -> str:
    """Where the contract was written: its file, else the file defining its spec, else its name."""
    if contract.origin is not None:
        return str(contract.origin)
    code = getattr(contract.spec, "__code__", None)
    return code.co_filename if code is not None else f"contract {contract.name}"


def shared_region(contract: Contract, name: str) -> str:
    """The buffer whose memory ``name`` uses: itself, or the buffer it aliases (``alias_of``)."""
    for arg in contract.args:
        if isinstance(arg, Buffer) and arg.name == name and arg.alias_of is not None:
            return arg.alias_of
    return name


def region_writable(contract: Contract, name: str) -> bool:
    """Is the memory of buffer ``name`` writable (it, or a buffer sharing its region, is declared writable)?"""
    region = shared_region(contract, name)
    return any(isinstance(a, Buffer) and a.writable and shared_region(contract, a.name) == region
               for a in contract.args)


class _Said(str):
    """A description of what was found, shown as it is (not as a value)."""


def _kind(value: object) -> str:
    if isinstance(value, _Said):
        return str(value)
    return f"{type(value).__name__} {value!r}" if not callable(value) else type(value).__name__


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Checker:
    """Collects the first problem of a contract as one line naming the file, the contract and the field."""

    def __init__(self, contract: Contract) -> None:
        self.where = f"{contract_file(contract)}: {contract.name}"

    def fail(self, field_name: str, expected: str, got: object) -> None:
        raise LnsymError(f"{self.where}: {field_name}: expected {expected}, got {_kind(got)}")

    def check(self, ok: bool, field_name: str, expected: str, got: object) -> None:
        if not ok:
            self.fail(field_name, expected, got)


def _check_fields(contract: Contract, c: _Checker) -> None:
    """Types and ranges of every field (no evaluation)."""
    c.check(isinstance(contract.name, str) and bool(contract.name), "name", "a non-empty str", contract.name)
    c.check(isinstance(contract.symbol, str) and bool(contract.symbol), "symbol", "a non-empty str", contract.symbol)
    c.check(isinstance(contract.object, str | Path), "object", "a path (str)", contract.object)
    c.check(contract.member is None or isinstance(contract.member, str), "member", "None or a str", contract.member)
    c.check(callable(contract.spec), "spec", "a function of the inputs returning a dict", contract.spec)
    c.check(_is_int(contract.max_steps) and contract.max_steps > 0, "max_steps", "a positive int", contract.max_steps)
    c.check(isinstance(contract.preconditions, list | tuple)
            and all(isinstance(p, str) for p in contract.preconditions),
            "preconditions", "a list of str", contract.preconditions)
    c.check(isinstance(contract.defines, dict), "defines", "a dict symbol -> int or bytes", contract.defines)
    for sym, value in contract.defines.items():
        c.check(isinstance(sym, str) and (_is_int(value) or isinstance(value, bytes)), f"defines[{sym!r}]",
                "an int or bytes", value)
    c.check(isinstance(contract.args, list | tuple), "args", "a list of Scalar and Buffer", contract.args)
    c.check(len(contract.args) <= 8, "args", "at most 8 register arguments (X0..X7)", len(contract.args))
    c.check(isinstance(contract.ghosts, list | tuple), "ghosts", "a list of Scalar", contract.ghosts)
    for k, g in enumerate(contract.ghosts):
        c.check(isinstance(g, Scalar), f"ghosts[{k}]", "a Scalar", g)
        _check_scalar(g, f"ghost {g.name!r}", c, max_width=None)
    for k, arg in enumerate(contract.args):
        if isinstance(arg, Scalar):
            _check_scalar(arg, f"argument {k} Scalar({arg.name!r})", c, max_width=64)
        elif isinstance(arg, Buffer):
            _check_buffer(arg, f"argument {k} Buffer({arg.name!r})", c)
        else:
            c.fail(f"args[{k}]", "a Scalar or a Buffer", arg)
    c.check(isinstance(contract.outputs, list | tuple) and bool(contract.outputs), "outputs",
            "a non-empty list of Return and BufferOut", contract.outputs)
    for k, out in enumerate(contract.outputs):
        if isinstance(out, Return):
            c.check(isinstance(out.name, str) and bool(out.name), f"outputs[{k}] Return name", "a str", out.name)
            c.check(_is_int(out.width) and 1 <= out.width <= 64, f"outputs[{k}] Return({out.name!r}) width",
                    "an int of bits in 1..64 (X0)", out.width)
        elif isinstance(out, BufferOut):
            c.check(isinstance(out.buffer, str), f"outputs[{k}] BufferOut buffer", "a buffer name (str)", out.buffer)
            c.check(_is_int(out.element) and out.element > 0, f"outputs[{k}] BufferOut({out.buffer!r}) element",
                    "a positive int (bytes per compared value)", out.element)
            c.check(_is_int(out.offset) and out.offset >= 0, f"outputs[{k}] BufferOut({out.buffer!r}) offset",
                    "a non-negative int (bytes)", out.offset)
            c.check(out.count is None or (_is_int(out.count) and out.count > 0),
                    f"outputs[{k}] BufferOut({out.buffer!r}) count", "None or a positive int", out.count)
        else:
            c.fail(f"outputs[{k}]", "a Return or a BufferOut", out)


def _check_scalar(s: Scalar, label: str, c: _Checker, max_width: int | None) -> None:
    c.check(isinstance(s.name, str) and bool(s.name), f"{label} name", "a non-empty str", s.name)
    limit = "1..64 (one X register)" if max_width else "a positive int"
    c.check(_is_int(s.width) and s.width >= 1 and (max_width is None or s.width <= max_width), f"{label} width",
            f"an int of bits in {limit}", s.width)
    c.check(s.value is None or (_is_int(s.value) and 0 <= s.value < 1 << s.width), f"{label} value",
            f"None or an int in [0, 2^{s.width})", s.value)


def _check_buffer(b: Buffer, label: str, c: _Checker) -> None:
    c.check(isinstance(b.name, str) and bool(b.name), f"{label} name", "a non-empty str", b.name)
    c.check(_is_int(b.size) and b.size > 0, f"{label} size", "a positive int (bytes)", b.size)
    c.check(isinstance(b.writable, bool), f"{label} writable", "a bool", b.writable)
    c.check(_is_int(b.align) and b.align >= 1 and b.align & (b.align - 1) == 0, f"{label} align",
            "a power of two (bytes)", b.align)
    c.check(b.data is None or (isinstance(b.data, bytes) and len(b.data) == b.size), f"{label} data",
            f"None or {b.size} bytes", b.data)
    c.check(b.derived is None or callable(b.derived), f"{label} derived", "None or a function of the inputs",
            b.derived)
    c.check(isinstance(b.fixed, tuple | list), f"{label} fixed", "a tuple of (offset, bytes)", b.fixed)
    for item in b.fixed:
        ok = isinstance(item, tuple | list) and len(item) == 2 and _is_int(item[0]) and isinstance(item[1], bytes)
        c.check(ok and 0 <= item[0] and item[0] + len(item[1]) <= b.size, f"{label} fixed",
                f"(offset, bytes) pairs inside the {b.size} bytes", item)
    c.check(b.alias_of is None or isinstance(b.alias_of, str), f"{label} alias_of", "None or a buffer name",
            b.alias_of)
    if b.alias_of is not None:
        c.check(b.data is None and b.derived is None and not b.fixed, f"{label} alias_of",
                "no data/derived/fixed of its own (an alias shares the other buffer's bytes)", b.alias_of)


def _check_names(contract: Contract, c: _Checker) -> None:
    """Unique input names, aliases naming other buffers, outputs naming existing writable buffers."""
    seen: set[str] = set()
    for item in [*contract.ghosts, *contract.args]:
        c.check(item.name not in seen, f"input {item.name!r}", "a name no other argument or ghost has",
                item.name)
        seen.add(item.name)
    buffers = {a.name: a for a in contract.args if isinstance(a, Buffer)}
    for b in buffers.values():
        if b.alias_of is None:
            continue
        target = buffers.get(b.alias_of)
        c.check(target is not None and target is not b and target.alias_of is None,
                f"Buffer({b.name!r}) alias_of", "the name of another buffer argument that is not itself an alias",
                b.alias_of)
        c.check(target.size == b.size, f"Buffer({b.name!r}) size",  # type: ignore[union-attr]
                f"the size of the buffer it aliases ({target.size} bytes)", b.size)  # type: ignore[union-attr]
    outs: set[str] = set()
    for out in contract.outputs:
        key = out.name if isinstance(out, Return) else out.buffer
        c.check(key not in outs, f"output {key!r}", "one output per name", key)
        outs.add(key)
        if isinstance(out, BufferOut):
            b = buffers.get(out.buffer)
            c.check(b is not None, f"BufferOut({out.buffer!r})", f"the name of a buffer argument "
                    f"({', '.join(buffers) or 'there are none'})", out.buffer)
            c.check(region_writable(contract, out.buffer), f"BufferOut({out.buffer!r})",
                    "a writable buffer (Buffer(..., writable=True))", out.buffer)
            offset, count = out.span(b.size)  # type: ignore[union-attr]
            c.check(count > 0 and offset + count * out.element <= b.size,  # type: ignore[union-attr]
                    f"BufferOut({out.buffer!r}) offset/count",
                    f"elements inside the {b.size} bytes", (offset, count))  # type: ignore[union-attr]
            c.check(out.count is not None or (b.size - offset) % out.element == 0,  # type: ignore[union-attr]
                    f"BufferOut({out.buffer!r}) element", f"a divisor of the {b.size - offset} compared bytes "
                    "(or an explicit count)", out.element)  # type: ignore[union-attr]


def random_inputs(contract: Contract, rng: random.Random) -> Inputs:
    """Concrete inputs as the contract allows them: fixed values and contents as given, the rest random."""
    inputs = Inputs()
    for g in contract.ghosts:
        inputs[g.name] = BV(g.width, rng.getrandbits(g.width))
    for arg in contract.args:
        if isinstance(arg, Scalar):
            inputs[arg.name] = BV(arg.width, arg.value if arg.value is not None else rng.getrandbits(arg.width))
    for arg in contract.args:
        if not isinstance(arg, Buffer) or arg.alias_of is not None:
            continue
        if arg.data is not None:
            data = [BV(8, b) for b in arg.data]
        elif arg.derived is not None:
            data = list(arg.derived(inputs))
        else:
            fixed = {off + k: b for off, chunk in arg.fixed for k, b in enumerate(chunk)}
            data = [BV(8, fixed.get(k, rng.getrandbits(8))) for k in range(arg.size)]
        inputs[arg.name] = data
    for arg in contract.args:
        if isinstance(arg, Buffer) and arg.alias_of is not None:
            inputs[arg.name] = inputs[arg.alias_of]
    return inputs


def _width(value: object) -> int | None:
    width = getattr(value, "width", None)
    return width if _is_int(width) else None


def _check_spec(contract: Contract, c: _Checker, rng: random.Random) -> None:
    """Evaluate the spec once on random concrete inputs: every output, exactly the declared shape, nothing else."""
    try:
        inputs = random_inputs(contract, rng)
    except LnsymError:
        raise
    except Exception as exc:  # a derived= function of the user's
        raise LnsymError(f"{c.where}: a derived buffer's function raised {type(exc).__name__}: {exc}") from None
    for arg in contract.args:
        if isinstance(arg, Buffer) and arg.derived is not None:
            data = inputs[arg.name]
            c.check(len(data) == arg.size and all(_width(v) == 8 for v in data), f"Buffer({arg.name!r}) derived",
                    f"{arg.size} 8-bit values", _Said(f"{len(data)} values"))
    try:
        expected = contract.spec(inputs)
    except LnsymError:
        raise
    except Exception as exc:  # a user's spec: one line naming the contract, not a traceback
        raise LnsymError(f"{c.where}: the spec raised {type(exc).__name__}: {exc}") from None
    c.check(isinstance(expected, dict), "spec", "a dict output name -> value(s)", expected)
    names = {o.name if isinstance(o, Return) else o.buffer for o in contract.outputs}
    extra = sorted(str(k) for k in expected if k not in names)
    c.check(not extra, "spec", f"only the declared outputs ({', '.join(sorted(names))})",
            _Said(f"also {', '.join(extra)}"))
    buffers = {a.name: a for a in contract.args if isinstance(a, Buffer)}
    for out in contract.outputs:
        key = out.name if isinstance(out, Return) else out.buffer
        c.check(key in expected, f"spec output {key!r}", "a value (the spec gives none)",
                _Said(f"only {', '.join(sorted(map(str, expected))) or 'nothing'}"))
        value = expected[key]
        if isinstance(out, Return):
            ok = _width(value) == out.width or (_is_int(value) and 0 <= value < 1 << out.width)  # type: ignore
            c.check(ok, f"spec output {key!r}", f"one {out.width}-bit value (Return width {out.width})",
                    _Said(f"width {_width(value)}") if _width(value) else value)
            continue
        count = out.span(buffers[out.buffer].size)[1]
        values = list(value) if isinstance(value, list | tuple) else [value]
        shape = f"{count} value(s) of {8 * out.element} bits (BufferOut element {out.element})"
        c.check(len(values) == count, f"spec output {key!r}", shape, _Said(f"{len(values)} value(s)"))
        bad = [k for k, v in enumerate(values) if _width(v) != 8 * out.element]
        c.check(not bad, f"spec output {key!r}", shape,
                _Said(f"value {bad[0]} of width {_width(values[bad[0]])}" if bad else ""))


def check_contract(contract: Contract, seed: int = 1) -> None:
    """Check ``contract`` before any proof: field types and ranges, unique names, aliases, outputs naming
    writable buffers, and the spec evaluated once on random concrete inputs giving every declared output in
    exactly its declared shape (``BufferOut``: ``count`` values of ``8 * element`` bits; ``Return``: ``width``
    bits) and nothing else.  Raises :class:`LnsymError` with one line naming the file, the field and what was
    expected."""
    c = _Checker(contract)
    _check_fields(contract, c)
    _check_names(contract, c)
    _check_spec(contract, c, random.Random(seed))
