"""Static relocations of the ELF for the Arm 64-bit Architecture (AAELF64), section 5.7.

Notation of the ABI: ``S`` the symbol's address, ``A`` the addend, ``P`` the place (address of the
patched bytes), ``Page(x) = x & ~0xFFF``, ``G(GDAT(S+A))`` the address of the GOT entry holding
``S+A``.  Each supported type computes ``X`` from those, checks the overflow range the ABI states
for it (the ``_NC`` forms are "no check"), and writes ``X`` into a data word or an instruction field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lnsym.errors import LnsymError

MASK64 = (1 << 64) - 1


class RelocationError(LnsymError):
    """A relocation lnsym does not implement, or whose value overflows its field."""


def page(x: int) -> int:
    return x & ~0xFFF


def _adr_imm(word: int, imm: int) -> int:
    """ADR/ADRP: immlo = imm<1:0> in bits 30:29, immhi = imm<20:2> in bits 23:5."""
    imm &= (1 << 21) - 1
    return (word & ~((3 << 29) | (0x7FFFF << 5))) | ((imm & 3) << 29) | ((imm >> 2) << 5)


def _imm12(word: int, value: int) -> int:
    return (word & ~(0xFFF << 10)) | ((value & 0xFFF) << 10)


def _branch(bits: int, lsb: int) -> Callable[[int, int], int]:
    field = (1 << bits) - 1

    def encode(word: int, x: int) -> int:
        return (word & ~(field << lsb)) | (((x >> 2) & field) << lsb)

    return encode


def _ldst(shift: int) -> Callable[[int, int], int]:
    def encode(word: int, x: int) -> int:
        return _imm12(word, (x & 0xFFF) >> shift)

    return encode


@dataclass(frozen=True)
class Reloc:
    """How one relocation type computes ``X`` and where it puts it."""

    name: str
    value: str  # "abs" S+A, "prel" S+A-P, "page" Page(S+A)-Page(P), "got" G, "gotpage" Page(G)-Page(P)
    size: int  # bytes patched at P: 8 or 4 for data; 4 for instructions
    encode: Callable[[int, int], int] | None = None  # instruction field writer; None = data
    check: tuple[int, int] | None = None  # X must satisfy lo <= X < hi
    align: int = 1  # X must be a multiple of this (datum size of LDST forms, 4 for branches)


_S32 = (-(1 << 31), 1 << 32)
_PAGE = (-(1 << 32), 1 << 32)

RELOCS: dict[int, Reloc] = {
    257: Reloc("R_AARCH64_ABS64", "abs", 8),
    258: Reloc("R_AARCH64_ABS32", "abs", 4, check=_S32),
    260: Reloc("R_AARCH64_PREL64", "prel", 8),
    261: Reloc("R_AARCH64_PREL32", "prel", 4, check=_S32),
    274: Reloc("R_AARCH64_ADR_PREL_LO21", "prel", 4, _adr_imm, (-(1 << 20), 1 << 20)),
    275: Reloc("R_AARCH64_ADR_PREL_PG_HI21", "page", 4, lambda w, x: _adr_imm(w, x >> 12), _PAGE),
    276: Reloc("R_AARCH64_ADR_PREL_PG_HI21_NC", "page", 4, lambda w, x: _adr_imm(w, x >> 12)),
    277: Reloc("R_AARCH64_ADD_ABS_LO12_NC", "abs", 4, _imm12),
    278: Reloc("R_AARCH64_LDST8_ABS_LO12_NC", "abs", 4, _ldst(0)),
    284: Reloc("R_AARCH64_LDST16_ABS_LO12_NC", "abs", 4, _ldst(1), align=2),
    285: Reloc("R_AARCH64_LDST32_ABS_LO12_NC", "abs", 4, _ldst(2), align=4),
    286: Reloc("R_AARCH64_LDST64_ABS_LO12_NC", "abs", 4, _ldst(3), align=8),
    299: Reloc("R_AARCH64_LDST128_ABS_LO12_NC", "abs", 4, _ldst(4), align=16),
    279: Reloc("R_AARCH64_TSTBR14", "prel", 4, _branch(14, 5), (-(1 << 15), 1 << 15), 4),
    280: Reloc("R_AARCH64_CONDBR19", "prel", 4, _branch(19, 5), (-(1 << 20), 1 << 20), 4),
    282: Reloc("R_AARCH64_JUMP26", "prel", 4, _branch(26, 0), (-(1 << 27), 1 << 27), 4),
    283: Reloc("R_AARCH64_CALL26", "prel", 4, _branch(26, 0), (-(1 << 27), 1 << 27), 4),
    311: Reloc("R_AARCH64_ADR_GOT_PAGE", "gotpage", 4, lambda w, x: _adr_imm(w, x >> 12), _PAGE),
    312: Reloc("R_AARCH64_LD64_GOT_LO12_NC", "got", 4, _ldst(3), align=8),
}
NONE_TYPES = (0, 256)  # R_AARCH64_NONE (256 is the ABI's withdrawn alias): nothing to do
GOT_TYPES = frozenset(t for t, r in RELOCS.items() if r.value in ("got", "gotpage"))


def type_name(rtype: int) -> str:
    """The ABI name of a relocation number, for messages (unknown numbers shown as numbers)."""
    if rtype in RELOCS:
        return RELOCS[rtype].name
    from elftools.elf.enums import ENUM_RELOC_TYPE_AARCH64

    for name, number in ENUM_RELOC_TYPE_AARCH64.items():
        if number == rtype and name != "_default_":
            return name
    return f"relocation type {rtype}"


def apply(buf: bytearray, offset: int, rtype: int, S: int, A: int, P: int, G: int | None, where: str) -> None:
    """Patch ``buf[offset:]`` (the bytes at address ``P``) for one RELA entry; ``where`` names it."""
    if rtype in NONE_TYPES:
        return
    r = RELOCS.get(rtype)
    if r is None:
        raise RelocationError(f"unsupported relocation {type_name(rtype)} ({rtype}) at {where}")
    if offset < 0 or offset + r.size > len(buf):
        raise RelocationError(f"{r.name} at {where} patches bytes outside its section")
    if r.value in ("got", "gotpage") and G is None:
        raise RelocationError(f"{r.name} at {where}: no GOT entry")
    if r.value == "abs":
        x = S + A
    elif r.value == "prel":
        x = S + A - P
    elif r.value == "page":
        x = page(S + A) - page(P)
    else:
        assert G is not None
        x = G if r.value == "got" else page(G) - page(P)
    if r.value in ("abs", "got") and x >= 1 << 63:  # addresses are unsigned 64-bit: view as signed
        x -= 1 << 64
    if r.check is not None and not r.check[0] <= x < r.check[1]:
        raise RelocationError(f"{r.name} at {where}: value {x:#x} overflows [{r.check[0]:#x}, {r.check[1]:#x})")
    if x % r.align:
        raise RelocationError(f"{r.name} at {where}: value {x & MASK64:#x} is not {r.align}-byte aligned")
    old = int.from_bytes(buf[offset : offset + r.size], "little")
    new = (x & ((1 << (8 * r.size)) - 1)) if r.encode is None else r.encode(old, x)
    buf[offset : offset + r.size] = new.to_bytes(r.size, "little")
