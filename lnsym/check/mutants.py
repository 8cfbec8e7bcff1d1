"""Single-instruction mutants of a routine's machine code (mutation analysis of the prover).

Each mutant changes one instruction word of a loaded image, the way a plausible bug would:

* **register** -- another value in an ``Rd``/``Rn``/``Rm``/``Rt``/``Rt2``/``Ra``/``Rs`` field;
* **immediate** -- one bit of an immediate field flipped (``imm*``, ``hw``, ``sh``, MOVI's ``abc:defgh``);
* **opcode** -- another operation of the same encoding class: a sibling encoding with the same fields
  (EOR <-> ORR <-> BIC ...), or one bit of an operation-selecting field (``opc``, ``opcode``, ``S``,
  ``U``, ``size``, ``sf`` ...) flipped, kept only if the word still decodes within the same Arm ARM
  encoding group;
* **lane** -- another element index (``imm5``/``imm4`` of the "Advanced SIMD copy" class, ``H:L(:M)``
  of the by-element class) or the other half (``Q``) of a widening "three different" operation
  (PMULL <-> PMULL2, C4.1.96 / C7.2);
* **drop** -- the instruction replaced by ``NOP`` (``0xd503201f``).

Field names follow the Arm ARM encoding diagrams, as in :mod:`isa.encodings`.  Mutants are drawn
from the instructions one concrete run actually executes, so each one touches live code.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from dataclasses import dataclass

import isa
from isa.decoder import DecodeError, Pattern
from lnsym.load.image import Image

NOP = 0xD503_201F
KINDS = ("register", "immediate", "opcode", "lane", "drop")
REGISTER_FIELDS = frozenset({"Rd", "Rn", "Rm", "Rt", "Rt2", "Ra", "Rs"})
IMMEDIATE_EXTRA = frozenset({"hw", "sh", "abc", "defgh"})
OPCODE_FIELDS = frozenset({"opc", "opcode", "op", "op2", "op31", "o0", "o1", "o2", "S", "U", "size", "sz",
                           "sf", "shift", "option", "cond", "cmode", "cmode0", "cmode1", "cmode2", "cmode3", "R"})


@dataclass(frozen=True)
class Mutant:
    """Instruction ``original`` at ``address`` replaced by ``word``."""

    address: int
    original: int
    word: int
    kind: str
    what: str  # e.g. "Rn 1 -> 7", "EOR_asimdsame_only -> ORR_asimdsame_only"

    def describe(self) -> str:
        return f"{self.kind} @ {self.address:#x}: {self.original:#010x} -> {self.word:#010x} ({self.what})"


def _decodes(word: int) -> Pattern | None:
    try:
        return isa.decoder().decode(word)[0]
    except DecodeError:
        return None


def _free_bits(p: Pattern, lsb: int, width: int) -> list[int]:
    """Bit positions of a field that the pattern leaves variable."""
    return [lsb + i for i in range(width) if not (p.mask >> (lsb + i)) & 1]


def _register(p: Pattern, word: int) -> Iterator[tuple[int, str]]:
    for f in p.fields:
        if f.name in REGISTER_FIELDS and len(_free_bits(p, f.lsb, f.width)) == f.width:
            old = f.get(word)
            for new in range(1 << f.width):
                if new != old:
                    yield (word & ~(((1 << f.width) - 1) << f.lsb)) | new << f.lsb, f"{f.name} {old} -> {new}"


def _immediate(p: Pattern, word: int) -> Iterator[tuple[int, str]]:
    for f in p.fields:
        if (f.name.startswith("imm") and not _is_lane_field(p, f.name)) or f.name in IMMEDIATE_EXTRA:
            for bit in _free_bits(p, f.lsb, f.width):
                yield word ^ (1 << bit), f"{f.name} bit {bit - f.lsb} flipped"


def _opcode(p: Pattern, word: int) -> Iterator[tuple[int, str]]:
    names = {f.name for f in p.fields}
    seen: set[int] = set()
    for q in isa.decoder().patterns:
        if q is not p and q.mask == p.mask and q.group == p.group and {f.name for f in q.fields} == names:
            new = (word & ~p.mask) | q.value
            if new != word and _decodes(new) is q:
                seen.add(new)
                yield new, f"{p.name} -> {q.name}"
    for f in p.fields:
        if f.name in OPCODE_FIELDS and not _is_lane_field(p, f.name):
            for i in range(f.width):
                new = word ^ (1 << (f.lsb + i))
                q = _decodes(new)
                if new not in seen and q is not None and q.group == p.group:
                    seen.add(new)
                    yield new, f"{f.name} bit {i} flipped ({p.name} -> {q.name})"


def _is_lane_field(p: Pattern, name: str) -> bool:
    if "_asimdins_" in p.name or "_asisdone_" in p.name:
        return name in ("imm5", "imm4")
    if "_asimdext_" in p.name:
        return name == "imm4"
    if "elem_" in p.name:
        return name in ("H", "L", "M")
    return "_asimddiff_" in p.name and name == "Q"


def _lane(p: Pattern, word: int) -> Iterator[tuple[int, str]]:
    values = p.field_values(word)
    for f in p.fields:
        if not _is_lane_field(p, f.name):
            continue
        bits = _free_bits(p, f.lsb, f.width)
        if f.name == "imm5":  # the lowest set bit gives the element size; the bits above it, the index
            low = (values["imm5"] & -values["imm5"]).bit_length() - 1
            bits = [b for b in bits if b - f.lsb > low]
        if f.name == "M" and values.get("size") != 1:  # M is Rm<4> unless the elements are halfwords
            continue
        for bit in bits:
            yield word ^ (1 << bit), f"{f.name} bit {bit - f.lsb} flipped"


def mutants_of(address: int, word: int, kind: str) -> list[Mutant]:
    """Every mutant of one kind for the instruction ``word`` at ``address``."""
    p = _decodes(word)
    if p is None:
        return []
    if kind == "drop":
        if word == NOP or p.mnemonic in ("NOP", "HINT"):
            return []
        return [Mutant(address, word, NOP, kind, f"{p.mnemonic} -> NOP")]
    make = {"register": _register, "immediate": _immediate, "opcode": _opcode, "lane": _lane}[kind]
    out: dict[int, Mutant] = {}
    for new, what in make(p, word):
        if new != word and new not in out:
            out[new] = Mutant(address, word, new, kind, f"{p.mnemonic}: {what}")
    return list(out.values())


def sample(code: list[tuple[int, int]], count: int, seed: int, kinds: tuple[str, ...] = KINDS) -> list[Mutant]:
    """``count`` distinct mutants of the ``(address, word)`` instructions: kinds in turn, then a random
    instruction that has mutants of that kind, then a random one of them."""
    rng = random.Random(seed)
    pools = {k: {a: ms for a, w in code if (ms := mutants_of(a, w, k))} for k in kinds}
    chosen: dict[tuple[int, int], Mutant] = {}
    order = [k for k in kinds if pools[k]]
    turn = rng.randrange(len(order)) if order else 0
    while order and len(chosen) < count:
        kind = order[turn % len(order)]
        turn += 1
        pool = pools[kind]
        address = rng.choice(sorted(pool))
        m = pool[address].pop(rng.randrange(len(pool[address])))
        if not pool[address]:
            del pool[address]
        if not pool:
            order.remove(kind)
        chosen.setdefault((m.address, m.word), m)
    return list(chosen.values())


def patched(image: Image, mutant: Mutant) -> Image:
    """A copy of ``image`` with the mutant's word stored at its address (the original is untouched)."""
    segments = []
    for seg in image.segments:
        if seg.start <= mutant.address < seg.end:
            data = bytearray(seg.data)
            off = mutant.address - seg.start
            if int.from_bytes(data[off : off + 4], "little") != mutant.original:
                raise ValueError(f"{mutant.address:#x} does not hold {mutant.original:#010x}")
            data[off : off + 4] = mutant.word.to_bytes(4, "little")
            seg = dataclasses.replace(seg, data=data)
        segments.append(seg)
    return dataclasses.replace(image, segments=segments)
