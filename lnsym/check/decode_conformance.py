"""Decode conformance against capstone (``lnsym conform decode``).

Every word is decoded twice: by lnsym's encoding table (:func:`isa.decoder`) and by capstone (detail
mode).  The verdict of a word is one of

* ``agree``: same instruction: capstone's mnemonic is the encoding's (or a documented alias of it, see
  :data:`ALIASES`) and the register operands named by the encoding's fields (``Rd Rn Rm Rt ...``) are the
  register numbers capstone lists, in capstone's order;
* ``both-reject``: capstone cannot disassemble the word and lnsym raises ``DecodeError`` (no pattern, or
  the pseudocode reaches UNDEFINED);
* ``unsupported``: capstone decodes a word lnsym has no pattern for (counted by the Arm ARM top-level
  encoding group and capstone's mnemonic), or lnsym's pattern says "valid, but not modelled";
* ``explained``: a difference covered by a documented, named exception (:data:`EXCEPTIONS`);
* ``disagree``: any other difference.  The command exits 1 if there is one.

Of the operands, the registers are compared (their numbers and order, register lists expanded), and for the
same-shape Advanced SIMD classes (every vector operand ``<T>``) the arrangement; immediates, shifts,
extends, conditions and lane indices are not.  Every exception applies only to a word on which lnsym and
capstone differ in the way it names.  The exceptions and their Arm ARM evidence are listed in
docs/decode-conformance.md.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import isa
from isa.decoder import DecodeError, Pattern
from lnsym.errors import LnsymError

VERDICTS = ("agree", "both-reject", "unsupported", "explained", "disagree")

# -- the alias table ------------------------------------------------------------------------------------
# Encoding mnemonic -> {mnemonic capstone may print instead: the Arm ARM alias it is}.  Citations are to the
# alias's page in the Arm ARM (DDI 0487), chapter C6 (base instructions) or C7 (SIMD&FP), whose "is the
# preferred disassembly when ..." condition selects it.  An alias may drop register operands, but only
# operands that are the zero register (31) or repeat an operand it keeps (see :func:`registers_agree`).
ALIASES: dict[str, dict[str, str]] = {
    "ADD": {"mov": "C6.2 MOV (to/from SP): ADD (immediate) with imm12 == 0 and Rd or Rn == 31"},
    "ADDS": {"cmn": "C6.2 CMN (immediate/shifted/extended register): ADDS with Rd == 31"},
    "SUB": {"neg": "C6.2 NEG (shifted register): SUB (shifted register) with Rn == 31"},
    "SUBS": {"cmp": "C6.2 CMP (immediate/shifted/extended register): SUBS with Rd == 31",
             "negs": "C6.2 NEGS (shifted register): SUBS (shifted register) with Rn == 31"},
    "SBC": {"ngc": "C6.2 NGC: SBC with Rn == 31"},
    "SBCS": {"ngcs": "C6.2 NGCS: SBCS with Rn == 31"},
    "ANDS": {"tst": "C6.2 TST (immediate/shifted register): ANDS with Rd == 31"},
    "ORR": {"mov": "C6.2 MOV (register)/(bitmask immediate): ORR with Rn == 31 and no shift or "
                   "!MoveWidePreferred; C7.2 MOV (vector): ORR (vector, register) with Rm == Rn"},
    "ORN": {"mvn": "C6.2 MVN: ORN (shifted register) with Rn == 31"},
    "MOVZ": {"mov": "C6.2 MOV (wide immediate): MOVZ unless imm16 == 0 and hw != 0"},
    "MOVN": {"mov": "C6.2 MOV (inverted wide immediate): MOVN unless IsZero(imm16) && hw != 0 (or all-ones W)"},
    "SBFM": {"asr": "C6.2 ASR (immediate): SBFM with imms == 31/63",
             "sbfiz": "C6.2 SBFIZ: SBFM with UInt(imms) < UInt(immr)",
             "sbfx": "C6.2 SBFX: SBFM when BFXPreferred(sf, opc<1>, imms, immr)",
             "sxtb": "C6.2 SXTB: SBFM with immr == 0, imms == 7",
             "sxth": "C6.2 SXTH: SBFM with immr == 0, imms == 15",
             "sxtw": "C6.2 SXTW: SBFM with immr == 0, imms == 31"},
    "UBFM": {"lsl": "C6.2 LSL (immediate): UBFM with imms != 31/63 and imms + 1 == immr",
             "lsr": "C6.2 LSR (immediate): UBFM with imms == 31/63",
             "ubfiz": "C6.2 UBFIZ: UBFM with UInt(imms) < UInt(immr)",
             "ubfx": "C6.2 UBFX: UBFM when BFXPreferred(sf, opc<1>, imms, immr)",
             "uxtb": "C6.2 UXTB: UBFM (32-bit) with immr == 0, imms == 7",
             "uxth": "C6.2 UXTH: UBFM (32-bit) with immr == 0, imms == 15"},
    "BFM": {"bfi": "C6.2 BFI: BFM with Rn != 31 and UInt(imms) < UInt(immr)",
            "bfxil": "C6.2 BFXIL: BFM with UInt(imms) >= UInt(immr)",
            "bfc": "C6.2 BFC: BFM with Rn == 31 and UInt(imms) < UInt(immr) (FEAT_ASMv8p2)"},
    "EXTR": {"ror": "C6.2 ROR (immediate): EXTR with Rn == Rm"},
    "CSINC": {"cinc": "C6.2 CINC: CSINC with Rn == Rm != 31 and cond != 111x",
              "cset": "C6.2 CSET: CSINC with Rn == Rm == 31 and cond != 111x"},
    "CSINV": {"cinv": "C6.2 CINV: CSINV with Rn == Rm != 31 and cond != 111x",
              "csetm": "C6.2 CSETM: CSINV with Rn == Rm == 31 and cond != 111x"},
    "CSNEG": {"cneg": "C6.2 CNEG: CSNEG with Rn == Rm and cond != 111x"},
    "MADD": {"mul": "C6.2 MUL: MADD with Ra == 31"},
    "MSUB": {"mneg": "C6.2 MNEG: MSUB with Ra == 31"},
    "SMADDL": {"smull": "C6.2 SMULL: SMADDL with Ra == 31"},
    "SMSUBL": {"smnegl": "C6.2 SMNEGL: SMSUBL with Ra == 31"},
    "UMADDL": {"umull": "C6.2 UMULL: UMADDL with Ra == 31"},
    "UMSUBL": {"umnegl": "C6.2 UMNEGL: UMSUBL with Ra == 31"},
    "LSLV": {"lsl": "C6.2 LSL (register): alias of LSLV, always the preferred disassembly"},
    "LSRV": {"lsr": "C6.2 LSR (register): alias of LSRV, always the preferred disassembly"},
    "ASRV": {"asr": "C6.2 ASR (register): alias of ASRV, always the preferred disassembly"},
    "RORV": {"ror": "C6.2 ROR (register): alias of RORV, always the preferred disassembly"},
    "DSB": {"ssbb": "C6.2 SSBB: DSB with CRm == 0000",
            "pssbb": "C6.2 PSSBB: DSB with CRm == 0100"},
    "UMOV": {"mov": "C7.2 MOV (to general): UMOV with imm5 == x0100 (32-bit) or x1000 (64-bit)"},
    "INS": {"mov": "C7.2 MOV (from general)/(element): alias of INS, always the preferred disassembly"},
    "DUP": {"mov": "C7.2 MOV (scalar): alias of DUP (element, scalar), always the preferred disassembly"},
    "NOT": {"mvn": "C7.2 MVN: alias of NOT, always the preferred disassembly"},
    "SSHLL": {"sxtl": "C7.2 SXTL, SXTL2: SSHLL with shift == 0 (immb == 000 and immh a single bit)"},
    "USHLL": {"uxtl": "C7.2 UXTL, UXTL2: USHLL with shift == 0 (immb == 000 and immh a single bit)"},
}

# Hint-space names: HINT_HM_hints covers every CRm:op2 lnsym gives no own pattern; the Arm ARM allocates
# names to some of them (C6.2 HINT: "the preferred disassembly is the allocated name").
HINT_NAMES = frozenset({"esb", "psb", "tsb", "csdb", "dgh", "clearbhb", "bti", "pacia1716", "pacib1716",
                        "autia1716", "autib1716", "xpaclri", "sevl", "sev", "wfi", "wfe", "yield", "nop",
                        "hint", "chkfeat", "gcsb", "stshh"})

# A64 top-level encoding groups by op0 = bits <28:25> (Arm ARM C4.1, Table C4-1).
_TOP_GROUPS = ("reserved/SME", "unallocated", "SVE", "unallocated", "loads and stores", "DP register",
               "loads and stores", "DP SIMD&FP", "DP immediate", "DP immediate", "branch/system",
               "branch/system", "loads and stores", "DP register", "loads and stores", "DP SIMD&FP")

_REGISTER_FIELDS = ("Rs", "Rd", "Rt", "Rt2", "Rn", "Rm", "Ra")  # capstone's operand order
_DEFAULT_OPERANDS = {"RET": ("Rn", 30)}  # C6.2 RET {<Xn>}: X30 when absent, and then it is not printed


# -- capstone -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CsInsn:
    """Capstone's decoding of one word: mnemonic, text and the register numbers of its operands."""

    mnemonic: str
    text: str
    registers: tuple[int, ...]
    arrangements: tuple[str, ...] = ()  # of the vector register operands that have one: "4s", "16b", ...


@lru_cache(maxsize=1)
def _arrangement_names() -> dict[int, str]:
    from capstone import arm64

    prefix = "ARM64_VAS_"
    names = [n for n in dir(arm64) if n.startswith(prefix) and n != prefix + "INVALID"]
    return {getattr(arm64, n): n[len(prefix) :].lower() for n in names}


@lru_cache(maxsize=1)
def _capstone() -> Any:
    import capstone

    md = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)
    md.detail = True
    return md


_REG_NAME = re.compile(r"^[wxvqdshb](\d+)$")
_SPECIAL_REGS = {"sp": 31, "wsp": 31, "xzr": 31, "wzr": 31, "fp": 29, "lr": 30}


def register_number(name: str) -> int | None:
    """0..31 for a general-purpose or SIMD&FP register name (``sp``/``xzr`` are 31); None for others."""
    if name in _SPECIAL_REGS:
        return _SPECIAL_REGS[name]
    m = _REG_NAME.match(name)
    return int(m.group(1)) if m else None


def capstone_insn(word: int) -> CsInsn | None:
    """Capstone's decoding of ``word``, or None if capstone rejects it."""
    from capstone import arm64

    md = _capstone()
    for insn in md.disasm(word.to_bytes(4, "little"), 0):
        names: list[str] = []
        arrangements: list[str] = []
        for op in insn.operands:
            if op.type == arm64.ARM64_OP_REG:
                names.append(md.reg_name(op.reg))
                if op.vas in _arrangement_names():
                    arrangements.append(_arrangement_names()[op.vas])
            elif op.type == arm64.ARM64_OP_MEM:
                names += [md.reg_name(r) for r in (op.mem.base, op.mem.index) if r]
        numbers = tuple(n for n in map(register_number, names) if n is not None)
        return CsInsn(insn.mnemonic, f"{insn.mnemonic} {insn.op_str}".strip(), numbers, tuple(arrangements))
    return None


# -- lnsym's side ---------------------------------------------------------------------------------------


def _list_length(pattern: Pattern, fields: dict[str, int]) -> int:
    """How many consecutive vector registers the register-list operand of ``pattern`` names (1 if none)."""
    if pattern.mnemonic in ("TBL", "TBX"):
        return fields["len"] + 1
    if "asisdl" not in pattern.name:
        return 1
    n = int(pattern.mnemonic[2])
    if n == 1 and "asisdlse" in pattern.name:  # LD1/ST1 (multiple structures): one to four registers
        n = int(re.search(r"_[RI](\d)", pattern.name).group(1))  # type: ignore[union-attr]
    return n


def _fixed(pattern: Pattern, name: str) -> bool:
    """True if field ``name`` is fixed by the pattern (e.g. ``Rm=11111`` of a post-index immediate form)."""
    f = next(f for f in pattern.fields if f.name == name)
    return (pattern.mask >> f.lsb) & ((1 << f.width) - 1) == (1 << f.width) - 1


def expected_registers(pattern: Pattern, fields: dict[str, int]) -> list[tuple[str, int]]:
    """The register operands lnsym's fields name, in capstone's order: ``[(field, number), ...]``."""
    out: list[tuple[str, int]] = []
    for name in _REGISTER_FIELDS:
        if name not in fields or _fixed(pattern, name):
            continue
        if name == "Rt" and pattern.mnemonic in ("PRFM", "PRFUM"):
            continue  # <prfop>, not a register
        number = fields[name]
        if name == "Rm" and "asimdelem" in pattern.name and fields["size"] == 0b10:
            number |= fields["M"] << 4  # by-element, 32-bit lanes: Vm is M:Rm (C7.2, e.g. MUL (by element))
        count = _list_length(pattern, fields) if name in ("Rt", "Rn") and _is_list(pattern, name) else 1
        out += [(name if count == 1 else f"{name}+{i}", (number + i) % 32) for i in range(count)]
    return out


def _is_list(pattern: Pattern, name: str) -> bool:
    """True if field ``name`` is the first register of a register list (structure loads, TBL/TBX)."""
    if pattern.mnemonic in ("TBL", "TBX"):
        return name == "Rn"
    return name == "Rt" and "asisdl" in pattern.name


_ARRANGEMENTS = ("8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d")  # by size:Q (C7.2, e.g. ADD (vector) <T>)
_SAME_SHAPE = ("asimdsame", "asimdmisc_R", "asimdmisc_Z", "asimdperm", "asimdall")  # every vector operand is <T>
_BYTEWISE = {"AND", "BIC", "ORR", "ORN", "EOR", "BSL", "BIT", "BIF", "NOT", "RBIT"}  # <T> is 8B or 16B, by Q


def expected_arrangement(pattern: Pattern, fields: dict[str, int]) -> str | None:
    """The arrangement ``<T>`` of every vector operand of a same-shape Advanced SIMD encoding, else None."""
    if not pattern.name.split("_", 1)[1].startswith(_SAME_SHAPE):
        return None
    size = 0 if pattern.mnemonic in _BYTEWISE else fields["size"]
    return _ARRANGEMENTS[size * 2 + fields["Q"]]


def _upper_half(pattern: Pattern) -> bool:
    """True for the narrow/long/wide SIMD forms, whose mnemonic takes a ``2`` when Q == 1 (e.g. SHRN2)."""
    return pattern.name.split("_")[1].startswith("asimd") and pattern.name[-2:] in ("_N", "_L", "_W")


def mnemonic_agrees(pattern: Pattern, fields: dict[str, int], mnemonic: str) -> bool:
    """True if capstone's ``mnemonic`` names ``pattern``'s instruction or a documented alias of it."""
    base = mnemonic.split(".")[0]
    names = {pattern.mnemonic.lower(), *ALIASES.get(pattern.mnemonic, {})}
    if pattern.name.startswith("HINT_"):
        names |= HINT_NAMES
    if _upper_half(pattern):
        suffix = "2" if fields.get("Q") == 1 else ""
        return base in {n + suffix for n in names}
    return base in names


def registers_agree(pattern: Pattern, expected: list[tuple[str, int]], got: tuple[int, ...], alias: bool) -> bool:
    """True if capstone's registers are lnsym's, in order.  An alias may leave out an operand that is the zero
    register or repeats a kept one; RET leaves out X30."""
    default = _DEFAULT_OPERANDS.get(pattern.mnemonic)
    numbers = [n for name, n in expected if not (default and (name, n) == default and len(got) < len(expected))]
    if not alias:
        return tuple(numbers) == got
    i = 0
    kept: list[int] = []
    for n in numbers:
        if i < len(got) and got[i] == n:
            kept.append(n)
            i += 1
    if i != len(got):
        return False
    dropped = list(numbers)
    for n in kept:
        dropped.remove(n)
    return all(n == 31 or n in kept for n in dropped)


# -- verdicts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """Both decodings of one word."""

    word: int
    capstone: CsInsn | None
    pattern: Pattern | None  # lnsym's unique matching pattern (None: none or ambiguous)
    decoded: bool  # lnsym decoded it (``DecodeError`` not raised)
    reason: str  # lnsym's DecodeError reason ("" when decoded)

    @property
    def fields(self) -> dict[str, int]:
        return self.pattern.field_values(self.word) if self.pattern else {}

    def lnsym_text(self) -> str:
        if self.pattern is None:
            return f"(no encoding: {self.reason})"
        shown = " ".join(f"{k}={v:#x}" for k, v in self.fields.items())
        return f"{self.pattern.name} {shown}" + ("" if self.decoded else f" [{self.reason}]")

    def capstone_text(self) -> str:
        return self.capstone.text if self.capstone else "(capstone: not a valid instruction)"


@dataclass(frozen=True)
class Explanation:
    """A documented difference between lnsym and capstone that is not a bug of lnsym."""

    name: str
    evidence: str  # Arm ARM section or pseudocode that shows which side is right
    applies: Callable[[Case], bool]


def _unpredictable(case: Case) -> bool:
    return (case.capstone is not None and case.pattern is not None and not case.decoded
            and "CONSTRAINED UNPREDICTABLE" in case.reason
            and mnemonic_agrees(case.pattern, case.fields, case.capstone.mnemonic))


_UNPRIVILEGED_LOADS = {"LDTR", "LDTRB", "LDTRH", "LDTRSB", "LDTRSH", "LDTRSW"}


def _ldtr_rt_equals_rn(case: Case) -> bool:
    f = case.fields
    return (case.capstone is None and case.decoded and case.pattern is not None
            and case.pattern.mnemonic in _UNPRIVILEGED_LOADS and f.get("Rt") == f.get("Rn"))


# Bits the Arm ARM encoding diagrams show as (1), "should be one", by instruction class (the last part of the
# encoding name).  lnsym's table makes them literal bits, so a word with one of them 0 has no lnsym pattern;
# capstone ignores them.
SHOULD_BE_ONE: dict[str, int] = {
    "ldstexcl": 0x001F7C00,  # C6.2 LDXR, LDAXR, STXR, STLXR, LDXP, LDAR, STLR (and B/H): Rs, Rt2 = (1)(1)(1)(1)(1)
    "dp_3src": 0x00007C00,  # C6.2 SMULH, UMULH: Ra = (1)(1)(1)(1)(1)
}


def _iclass(pattern: Pattern) -> str:
    return pattern.name.split("_", 2)[2]


def sbo_bits(pattern: Pattern) -> int:
    """The literal 1 bits of ``pattern`` that the Arm ARM shows as (1) (0 if none)."""
    return SHOULD_BE_ONE.get(_iclass(pattern), 0) & pattern.mask & pattern.value


@lru_cache(maxsize=1)
def _sbo_patterns() -> tuple[Pattern, ...]:
    return tuple(p for p in isa.decoder().patterns if sbo_bits(p))


def _should_be_one(case: Case) -> bool:
    """capstone decodes a word lnsym has no pattern for, which is a pattern of lnsym's with (1) bits cleared,
    and is the same instruction as that pattern."""
    if case.capstone is None or case.pattern is not None or case.decoded:
        return False
    for p in _sbo_patterns():
        relaxed = p.mask & ~sbo_bits(p)
        if case.word & relaxed != p.value & relaxed:
            continue
        fields = p.field_values(case.word)
        if mnemonic_agrees(p, fields, case.capstone.mnemonic) and registers_agree(
                p, expected_registers(p, fields), case.capstone.registers, alias=False):
            return True
    return False


def _sysreg_op0_zero(case: Case) -> bool:
    """capstone shows MRS/MSR (register) for a system-register-move word with op0 = 00 (bits 20:19); MSR
    (immediate), which has op0 = 00 and no register operand, is not this."""
    word = case.word
    return (not case.decoded and case.capstone is not None and case.capstone.mnemonic in ("mrs", "msr")
            and bool(case.capstone.registers) and word >> 22 == 0b1101010100 and not word >> 20 & 1)


EXCEPTIONS: tuple[Explanation, ...] = (
    Explanation("constrained-unpredictable",
               "lnsym refuses CONSTRAINED UNPREDICTABLE encodings (Arm ARM K1.2, pseudocode ConstrainUnpredictable,"
               " e.g. Unpredictable_WBOVERLAPLD in LDP/LDR (immediate) writeback with Rt == Rn); capstone, like"
               " LLVM, disassembles them", _unpredictable),
    Explanation("should-be-one-bits",
               "a bit shown (1) in the Arm ARM encoding diagram is 0 (LDXR/STXR/LDAR/STLR/LDXP: Rs or Rt2;"
               " SMULH/UMULH: Ra): CONSTRAINED UNPREDICTABLE; lnsym's table requires the 1s, capstone ignores them",
               _should_be_one),
    Explanation("capstone-sysreg-op0-00",
               "capstone 5 decodes op0 = 00 (bit 20 = 0) system-register-move words as MRS/MSR S0_<op1>_...;"
               " the Arm ARM MRS/MSR (register) encodings fix bit 20 = 1 (sys_op0 = 2 + UInt(o0)), and op0 = 00"
               " is hints/barriers/PSTATE or unallocated (C4.1.93 System instructions)", _sysreg_op0_zero),
    Explanation("capstone-rejects-ldtr-rt-eq-rn",
               "capstone 5 rejects LDTR*/LDTRS* with Rt == Rn; the Arm ARM decode of LDTR (C6.2) has no such"
               " condition (the unprivileged forms have no writeback), GNU objdump decodes them",
               _ldtr_rt_equals_rn),
)


def lnsym_side(word: int) -> tuple[Pattern | None, bool, str]:
    """lnsym's unique pattern for ``word`` (if one), whether it decodes, and the DecodeError reason."""
    dec = isa.decoder()
    try:
        pattern, _ = dec.decode(word)
        return pattern, True, ""
    except DecodeError as exc:
        found = dec.matches(word)
        return (found[0] if len(found) == 1 else None), False, exc.reason


def make_case(word: int) -> Case:
    pattern, decoded, reason = lnsym_side(word)
    return Case(word, capstone_insn(word), pattern, decoded, reason)


def unsupported_class(case: Case) -> str:
    """The class of a word capstone decodes and lnsym has no pattern for: top-level group, capstone mnemonic."""
    group = _TOP_GROUPS[(case.word >> 25) & 0xF]
    mnemonic = case.capstone.mnemonic.split(".")[0] if case.capstone else "?"
    return f"{group}: {mnemonic}"


@dataclass(frozen=True)
class Verdict:
    """The verdict on one word, what it is counted under, and why (for ``explained`` and ``disagree``)."""

    verdict: str  # one of VERDICTS
    key: str  # lnsym's encoding name, or the unsupported class
    why: str = ""  # the exception's name, or what differs


def _compare(case: Case) -> tuple[bool, str]:
    """Whether a word both sides decode is the same instruction, and what differs if not."""
    assert case.pattern is not None and case.capstone is not None
    fields = case.fields
    cs = case.capstone
    if not mnemonic_agrees(case.pattern, fields, cs.mnemonic):
        return False, f"mnemonic: lnsym {case.pattern.mnemonic.lower()}, capstone {cs.mnemonic}"
    expected = expected_registers(case.pattern, fields)
    alias = cs.mnemonic.split(".")[0] != case.pattern.mnemonic.lower()
    if not registers_agree(case.pattern, expected, cs.registers, alias):
        shown = ", ".join(f"{name}={n}" for name, n in expected)
        return False, f"registers: lnsym {shown}; capstone {list(cs.registers)}"
    arrangement = expected_arrangement(case.pattern, fields)
    if arrangement is not None and any(a != arrangement for a in cs.arrangements):
        return False, f"arrangement: lnsym {arrangement}, capstone {', '.join(cs.arrangements)}"
    return True, ""


def judge(case: Case) -> Verdict:
    """The verdict on one word (see the module docstring)."""
    key = case.pattern.name if case.pattern else ""
    for exc in EXCEPTIONS:
        if exc.applies(case):
            return Verdict("explained", key or unsupported_class(case), exc.name)
    if case.capstone is None:
        if case.decoded:
            return Verdict("disagree", key, "lnsym decodes a word capstone rejects")
        return Verdict("both-reject", key or "no lnsym pattern")
    if not case.decoded:
        if case.pattern is None and "ambiguous" not in case.reason:
            return Verdict("unsupported", unsupported_class(case))
        if "not supported by lnsym" in case.reason:
            return Verdict("unsupported", key)
        return Verdict("disagree", key or unsupported_class(case), f"lnsym: {case.reason}")
    same, why = _compare(case)
    return Verdict("agree", key) if same else Verdict("disagree", key, why)


# -- word sources --------------------------------------------------------------------------------------


def corpus_words(paths: Iterable[str]) -> Iterator[tuple[str, int]]:
    """``(object name, word)`` for every code word of the executable sections of each ELF file or archive
    member (``$d`` data spans excluded).  A missing, unreadable or non-ELF file raises LnsymError."""
    from lnsym.load.loader import archive_members, iter_members, load

    for path in paths:
        if archive_members(path):
            members = list(iter_members(path))
        else:
            members = [(path, load(path))]
        for name, image in members:
            if isinstance(image, LnsymError):
                raise image
            where = f"{path}({name})" if name != path else path
            for _, word, is_code in image.words():
                if is_code:
                    yield where, word


def random_words(n: int, seed: int) -> Iterator[int]:
    rng = random.Random(seed)
    for _ in range(n):
        yield rng.getrandbits(32)


# -- the campaign --------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts for one source of words (the corpus, or the random words)."""

    words: int = 0
    distinct: int = 0
    objects: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    encodings: dict[str, Counter[str]] = field(default_factory=dict)
    unsupported: Counter[str] = field(default_factory=Counter)
    exceptions: Counter[str] = field(default_factory=Counter)

    def add(self, verdict: Verdict, times: int = 1) -> None:
        self.words += times
        self.verdicts[verdict.verdict] += times
        if verdict.verdict == "unsupported":
            self.unsupported[verdict.key] += times
        elif verdict.key and verdict.verdict != "both-reject":
            self.encodings.setdefault(verdict.key, Counter())[verdict.verdict] += times
        if verdict.verdict == "explained":
            self.exceptions[verdict.why] += times

    def to_dict(self) -> dict[str, Any]:
        return {"words": self.words, "distinct": self.distinct, "objects": self.objects,
                "verdicts": {v: self.verdicts[v] for v in VERDICTS},
                "encodings": {k: dict(c) for k, c in sorted(self.encodings.items())},
                "unsupported": dict(self.unsupported.most_common()), "exceptions": dict(self.exceptions)}


@dataclass
class Report:
    corpus: Tally = field(default_factory=Tally)
    random: Tally = field(default_factory=Tally)
    disagreements: dict[int, tuple[Case, Verdict, str]] = field(default_factory=dict)  # word -> where first seen
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"corpus": self.corpus.to_dict(), "random": self.random.to_dict(), "seconds": round(self.seconds, 2),
                "disagreements": [{"word": f"{w:#010x}", "where": where, "lnsym": c.lnsym_text(),
                                   "capstone": c.capstone_text(), "why": v.why}
                                  for w, (c, v, where) in sorted(self.disagreements.items())]}


class Checker:
    """Judges words once each (a word's verdict depends on the word alone) and tallies them."""

    def __init__(self) -> None:
        self.report = Report()
        self._seen: dict[int, tuple[Case, Verdict]] = {}

    def check(self, word: int, tally: Tally, where: str) -> None:
        hit = self._seen.get(word)
        if hit is None:
            case = make_case(word)
            hit = self._seen[word] = (case, judge(case))
        tally.add(hit[1])
        if hit[1].verdict == "disagree":
            self.report.disagreements.setdefault(word, (hit[0], hit[1], where))


def campaign(corpus: Iterable[str], n_random: int, seed: int) -> Report:
    """Judge every code word of the corpus objects and ``n_random`` seeded random words."""
    start = time.perf_counter()
    checker = Checker()
    rep = checker.report
    words: set[int] = set()
    objects: set[str] = set()
    for where, word in corpus_words(corpus):
        checker.check(word, rep.corpus, where)
        words.add(word)
        objects.add(where)
    rep.corpus.distinct, rep.corpus.objects = len(words), len(objects)
    words = set()
    for word in random_words(n_random, seed):
        checker.check(word, rep.random, f"random (seed {seed})")
        words.add(word)
    rep.random.distinct = len(words)
    rep.seconds = time.perf_counter() - start
    return rep


# -- output ---------------------------------------------------------------------------------------------


def _print_summary(rep: Report, limit: int) -> None:
    print(f"{'verdict':12s} {'corpus':>9s} {'random':>9s}")
    for v in VERDICTS:
        print(f"{v:12s} {rep.corpus.verdicts[v]:9d} {rep.random.verdicts[v]:9d}")
    print(f"{'words':12s} {rep.corpus.words:9d} {rep.random.words:9d}")
    print(f"{'distinct':12s} {rep.corpus.distinct:9d} {rep.random.distinct:9d}")
    names = sorted(set(rep.corpus.encodings) | set(rep.random.encodings))
    print(f"\nper lnsym encoding ({len(names)} seen; agree/explained/disagree, corpus | random):")
    for name in names:
        c, r = rep.corpus.encodings.get(name, Counter()), rep.random.encodings.get(name, Counter())
        print(f"  {name:30s} {c['agree']:7d} {c['explained']:5d} {c['disagree']:4d} | "
              f"{r['agree']:6d} {r['explained']:5d} {r['disagree']:4d}")
    unsupported = rep.corpus.unsupported + rep.random.unsupported
    shown = unsupported.most_common(limit or None)
    most = "" if len(shown) == len(unsupported) else f", the {len(shown)} most frequent"
    print(f"\nunsupported classes ({len(unsupported)}{most}; corpus | random):")
    for key, _ in shown:
        print(f"  {key:40s} {rep.corpus.unsupported[key]:7d} | {rep.random.unsupported[key]:6d}")
    exceptions = rep.corpus.exceptions + rep.random.exceptions
    print(f"\ndocumented exceptions ({sum(exceptions.values())} words; corpus | random):")
    for exc in EXCEPTIONS:
        print(f"  {exc.name:40s} {rep.corpus.exceptions[exc.name]:7d} | {rep.random.exceptions[exc.name]:6d}")


def _print_disagreements(rep: Report) -> None:
    print(f"\ndisagreements ({len(rep.disagreements)} distinct words):")
    for word, (case, verdict, where) in sorted(rep.disagreements.items()):
        print(f"  {word:#010x}  lnsym {case.lnsym_text()}\n              capstone {case.capstone_text()}\n"
              f"              {verdict.why} (first in {where})")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``lnsym conform decode``."""
    parser.add_argument("--random", type=int, default=0, metavar="N", help="also check N seeded random words")
    parser.add_argument("--corpus", nargs="+", default=[], metavar="FILE",
                        help="ELF objects or ar archives (e.g. libcrypto.a): every word of their code")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random words")
    parser.add_argument("--limit", type=int, default=40, help="unsupported classes listed (0: all)")
    parser.add_argument("--json", action="store_true", help="the report as JSON")


def run(args: argparse.Namespace) -> int:
    """Compare lnsym's decoding with capstone's; 0 if no unexplained disagreement, 1 otherwise."""
    if args.random < 0:
        raise LnsymError(f"--random must not be negative, not {args.random}")
    if args.limit < 0:
        raise LnsymError(f"--limit must not be negative, not {args.limit}")
    if not args.corpus and not args.random:
        raise LnsymError("nothing to check: give --corpus FILE... and/or --random N")
    import capstone

    rep = campaign(args.corpus, args.random, args.seed)
    if args.json:
        json.dump(rep.to_dict(), sys.stdout, indent=1)
        print()
    else:
        _print_summary(rep, args.limit)
        _print_disagreements(rep)
        print(f"\ndecode conformance against capstone {capstone.__version__}: {rep.corpus.words} corpus words "
              f"({rep.corpus.distinct} distinct, {rep.corpus.objects} objects), {rep.random.words} random words "
              f"(seed {args.seed}), {len(rep.disagreements)} unexplained disagreement(s), {rep.seconds:.1f} s")
    return 1 if rep.disagreements else 0
