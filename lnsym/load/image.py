"""A loaded program image: mapped segments, symbols, function ranges and the code/data map."""

from __future__ import annotations

import difflib
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from lnsym.errors import LnsymError


@dataclass(frozen=True)
class Symbol:
    """A named address.  ``kind``: func, object, notype, tls, common or undefined."""

    name: str
    address: int
    size: int
    kind: str
    binding: str  # local, global, weak
    section: str


@dataclass
class Segment:
    """Bytes to map at ``start`` with permissions ``perms``; ``kind`` says what they hold:
    text, rodata, data, got, undefined (storage for undefined symbols), common, or load (a PT_LOAD)."""

    name: str
    start: int
    data: bytearray
    perms: str
    kind: str

    @property
    def end(self) -> int:
        return self.start + len(self.data)


@dataclass
class CodeRange:
    """An executable section ``[start, end)`` and its mapping symbols (AAELF64 5.5.4: ``$x`` starts
    A64 code, ``$d`` data) as sorted ``(address, is_code)``; before the first one, bytes are code."""

    section: str
    start: int
    end: int
    marks: list[tuple[int, bool]] = field(default_factory=list)

    def is_code(self, address: int) -> bool:
        i = bisect_right(self.marks, (address, True)) - 1
        return True if i < 0 else self.marks[i][1]


@dataclass
class Image:
    """What :func:`lnsym.load` returns.  Addresses are final (relocations applied)."""

    path: str
    member: str | None
    kind: str  # relocatable, executable, shared object
    segments: list[Segment]
    symbols: dict[str, Symbol]
    functions: dict[str, tuple[int, int]]
    code: list[CodeRange]
    sections: list[tuple[str, int, int]]  # (name, address, size) of the mapped sections
    undefined: dict[str, int] = field(default_factory=dict)  # undefined symbol -> its storage
    notes: list[str] = field(default_factory=list)
    entry: int | None = None
    # undefined symbols whose storage the loader zero-filled (no ``defines`` value): code reading them (e.g. a
    # capability word like OPENSSL_armcap_P) sees 0, which a proof then assumes
    zero_filled: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.path}({self.member})" if self.member else self.path

    # -- symbols ----------------------------------------------------------------------------------
    def symbol(self, name: str) -> Symbol:
        """The symbol called ``name``; an unknown name raises an error listing close names."""
        sym = self.symbols.get(name)
        if sym is None:
            close = difflib.get_close_matches(name, list(self.symbols), n=5, cutoff=0.6)
            some = ", ".join(sorted(self.functions)[:5]) or ", ".join(sorted(self.symbols)[:5])
            hint = f"; close names: {', '.join(close)}" if close else f"; it has {len(self.symbols)} (e.g. {some})"
            raise LnsymError(f"{self.name}: no symbol named {name!r}{hint}")
        return sym

    def address(self, name: str) -> int:
        return self.symbol(name).address

    def function(self, name: str) -> tuple[int, int]:
        """``(start, end)`` of function ``name`` (or of a sized symbol)."""
        if name in self.functions:
            return self.functions[name]
        sym = self.symbol(name)
        if sym.size:
            return sym.address, sym.address + sym.size
        raise LnsymError(f"{self.name}: symbol {name!r} is not a function and has no size")

    def function_at(self, address: int) -> str | None:
        best: tuple[int, str] | None = None
        for name, (start, end) in self.functions.items():
            if start <= address < end and (best is None or start > best[0]):
                best = (start, name)
        return best[1] if best else None

    # -- bytes ------------------------------------------------------------------------------------
    def segment_at(self, address: int) -> Segment | None:
        for seg in self.segments:
            if seg.start <= address < seg.end:
                return seg
        return None

    def read(self, address: int, size: int) -> bytes:
        seg = self.segment_at(address)
        if seg is None or address + size > seg.end:
            raise LnsymError(f"{self.name}: [{address:#x}, +{size}) is not inside one mapped segment")
        off = address - seg.start
        return bytes(seg.data[off : off + size])

    def is_code(self, address: int) -> bool:
        """True if ``address`` holds A64 instructions (executable section, not a ``$d`` span)."""
        for r in self.code:
            if r.start <= address < r.end:
                return r.is_code(address)
        return False

    def words(self, name: str | None = None) -> Iterator[tuple[int, int, bool]]:
        """``(address, word, is_code)`` for each aligned word of function ``name``, or of every
        executable section when ``name`` is None.  A trailing partial word is zero-padded."""
        ranges = [self.function(name)] if name is not None else [(r.start, r.end) for r in self.code]
        for start, end in ranges:
            a = (start + 3) & ~3
            while a < end:
                n = min(4, end - a)
                word = int.from_bytes(self.read(a, n), "little")
                yield a, word, n == 4 and self.is_code(a)
                a += 4


def where(image: Image, address: int) -> str:
    """``function+0xoff`` for a code address."""
    name = image.function_at(address)
    return f"{name}+{address - image.function(name)[0]:#x}" if name else "no symbol"
