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
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bitvec import Value, concat
from lnsym.errors import LnsymError


@dataclass(frozen=True)
class Scalar:
    """A register argument of ``width`` bits (passed zero-extended in X<n>); symbolic unless ``value`` is given."""

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


@dataclass(frozen=True)
class Return:
    """The return value in X0, ``width`` bits."""

    name: str
    width: int = 64


@dataclass(frozen=True)
class BufferOut:
    """A buffer's final contents, compared element by element (``element`` bytes, little-endian)."""

    buffer: str
    element: int = 4


Arg = Scalar | Buffer
Output = Return | BufferOut


class Inputs(dict):  # type: ignore[type-arg]
    """The symbolic inputs handed to a spec: scalars by name, buffers as lists of bytes."""

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


def load_contract_file(path: str | os.PathLike[str]) -> list[Contract]:
    """Import a contract file and return its ``CONTRACT`` or ``CONTRACTS``."""
    p = Path(path)
    if not p.is_file():
        raise LnsymError(f"no contract file {p}")
    spec = importlib.util.spec_from_file_location(f"lnsym_contract_{p.stem}", p)
    if spec is None or spec.loader is None:
        raise LnsymError(f"cannot import contract file {p}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a user's file: report, do not crash
        raise LnsymError(f"contract file {p} failed to import: {type(exc).__name__}: {exc}") from None
    found = getattr(module, "CONTRACTS", None) or [getattr(module, "CONTRACT", None)]
    contracts = [c for c in found if isinstance(c, Contract)]
    if not contracts:
        raise LnsymError(f"contract file {p} defines no CONTRACT or CONTRACTS")
    for c in contracts:
        c.origin = p
    return contracts
