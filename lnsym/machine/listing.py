"""Disassembly listings and decode coverage of loaded images (``lnsym disasm``, ``lnsym coverage``)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from lnsym.load.image import Image

OUTSIDE = "<outside functions>"


@lru_cache(maxsize=1 << 16)
def decode_word(word: int) -> tuple[str | None, str | None]:
    """``(encoding name, None)`` if lnsym can execute ``word``, else ``(name or None, reason)``."""
    import isa
    from isa.decoder import DecodeError

    dec = isa.decoder()
    try:
        pattern, _ = dec.decode(word)
    except DecodeError as exc:
        found = dec.matches(word)
        return (found[0].name if len(found) == 1 else None), exc.reason
    return pattern.name, None


@lru_cache(maxsize=1 << 16)
def _capstone(word: int) -> str | None:
    from lnsym.machine.stepper import capstone_text

    return capstone_text(word)


def capstone(word: int, address: int) -> str | None:
    """Capstone's text; PC-relative words are rendered at their address."""
    from lnsym.machine.stepper import capstone_text

    return capstone_text(word, address) if address else _capstone(word)


@dataclass
class Missing:
    address: int
    word: int
    capstone: str | None
    reason: str


@dataclass
class FunctionCoverage:
    name: str
    start: int
    end: int
    instructions: int = 0
    decoded: int = 0
    unsupported: list[Missing] = field(default_factory=list)


@dataclass
class FileCoverage:
    file: str
    member: str | None
    functions: list[FunctionCoverage] = field(default_factory=list)
    error: str | None = None

    @property
    def instructions(self) -> int:
        return sum(f.instructions for f in self.functions)

    @property
    def decoded(self) -> int:
        return sum(f.decoded for f in self.functions)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "member": self.member,
            "error": self.error,
            "instructions": self.instructions,
            "decoded": self.decoded,
            "unsupported": self.instructions - self.decoded,
            "functions": [
                {
                    "name": f.name,
                    "start": f"{f.start:#x}",
                    "end": f"{f.end:#x}",
                    "instructions": f.instructions,
                    "decoded": f.decoded,
                    "unsupported": [
                        {"address": f"{u.address:#x}", "word": f"{u.word:#010x}", "capstone": u.capstone,
                         "reason": u.reason}
                        for u in f.unsupported
                    ],
                }
                for f in self.functions
            ],
        }


class _Owners:
    """Innermost function containing an address (the one starting last among those containing it)."""

    def __init__(self, image: Image) -> None:
        self.ranges = sorted((start, end, name) for name, (start, end) in image.functions.items())
        self.starts = [r[0] for r in self.ranges]

    def __call__(self, address: int) -> str:
        i = bisect_right(self.starts, address) - 1
        while i >= 0:
            _, end, name = self.ranges[i]
            if address < end:
                return name
            i -= 1
        return OUTSIDE


def coverage(image: Image, symbol: str | None = None) -> FileCoverage:
    """Count the code words (``$d`` spans excluded) of each function and which lnsym decodes."""
    result = FileCoverage(image.path, image.member)
    owner = _Owners(image)
    by_name: dict[str, FunctionCoverage] = {}
    for address, word, is_code in image.words(symbol):
        if not is_code:
            continue
        name = symbol if symbol is not None else owner(address)
        fc = by_name.get(name)
        if fc is None:
            start, end = image.functions.get(name, (address, address))
            fc = by_name[name] = FunctionCoverage(name, start, end)
        fc.instructions += 1
        _, reason = decode_word(word)
        if reason is None:
            fc.decoded += 1
        else:
            fc.unsupported.append(Missing(address, word, capstone(word, address), reason))
    result.functions = sorted(by_name.values(), key=lambda f: (f.name == OUTSIDE, f.start))
    return result


def disassemble(image: Image, symbol: str | None = None) -> Iterator[str]:
    """Lines of ``address  word  lnsym encoding  capstone text``; data words shown as data."""
    starts = {start: name for name, (start, _) in image.functions.items()}
    if symbol is not None:
        starts = {image.function(symbol)[0]: symbol}
    for address, word, is_code in image.words(symbol):
        if address in starts:
            start, end = image.function(starts[address])
            yield f"\n{starts[address]}  [{start:#x}, {end:#x}):"
        if not is_code:
            yield f"  {address:#10x}:  {word:08x}  {'.word (data)':28s} {word:#010x}"
            continue
        name, reason = decode_word(word)
        text = capstone(word, address) or "(capstone: not a valid instruction)"
        if reason is None:
            yield f"  {address:#10x}:  {word:08x}  {name:28s} {text}"
        else:
            yield f"  {address:#10x}:  {word:08x}  {'!! ' + (name or 'unsupported'):28s} {text}   ; {reason}"
