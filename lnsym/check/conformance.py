"""Random differential conformance: lnsym's semantics against Unicorn, encoding by encoding.

The generators take a :class:`Source` of random bits so that both hypothesis (in the test suite) and a
seeded ``random.Random`` (in the ``lnsym conform`` campaign) can drive them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import isa
from isa.decoder import DecodeError, Pattern
from isa.system import SYSTEM_REGISTERS
from lnsym.machine.oracle import Outcome, Snapshot, run_lnsym, run_unicorn

REGION_START = 0x50_0000
REGION_SIZE = 0x20_0000  # 2 MiB: every literal load (+/-1 MiB) from the code lands inside
CODE_ADDRESS = 0x60_0000
DATA_CENTRE = 0x60_8000

SPECIAL_VALUES = (
    0, 1, 2, 0x1F, 0x20, 0x3F, 0x40, 0x7F, 0x80, 0xFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
    0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF,
    0xFFFF_FFFF_8000_0000, 0x0123_4567_89AB_CDEF,
)


class Source(Protocol):
    def bits(self, n: int) -> int: ...

    def register(self) -> int: ...


class RandomSource:
    """Random bits from a seeded ``random.Random``, biased towards edge-case register values."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def bits(self, n: int) -> int:
        return self.rng.getrandbits(n)

    def register(self) -> int:
        r = self.rng.random()
        if r < 0.2:
            return self.rng.choice(SPECIAL_VALUES)
        if r < 0.3:
            return self.rng.getrandbits(8)
        return self.rng.getrandbits(64)


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def background() -> bytes:
    """The deterministic pseudo-random contents of the test memory region.

    Bit 26 of every aligned word is cleared, so no word is in the SIMD&FP or SVE encoding groups
    (``op0`` = x111, x1x0 with V = 1, 0010).  Unicorn translates the instruction at a branch target
    before it stops after one step, and QEMU's A64 translator aborts the whole process (a
    ``g_assert_not_reached``) on some unallocated FP16 words, e.g. ``0x6ef809c9``.
    """
    data = bytearray(random.Random(0x1A5).randbytes(REGION_SIZE))
    for i in range(3, REGION_SIZE, 4):
        data[i] &= ~0x04
    return bytes(data)


def random_word(pattern: Pattern, src: Source) -> int:
    """A word matching ``pattern``: fixed bits kept, free bits random, exclusions respected.

    System-register moves mostly name a register lnsym models, so they are tested, not skipped.
    """
    for _ in range(64):
        word = (src.bits(32) & ~pattern.mask) | pattern.value
        if pattern.name in ("MRS_RS_systemmove", "MSR_SR_systemmove") and src.bits(2):
            keys = sorted(SYSTEM_REGISTERS)
            op0, op1, crn, crm, op2 = keys[src.bits(8) % len(keys)]
            word = (word & ~0x000F_FFE0) | ((op0 - 2) << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5)
        if pattern.matches(word):
            return word
    # the source keeps drawing excluded values (hypothesis starts with all-zero draws): step past them
    word = (src.bits(32) & ~pattern.mask) | pattern.value
    for f in pattern.fields:
        while f.excluded and f.get(word) in f.excluded:
            word = (word & ~(((1 << f.width) - 1) << f.lsb)) | (((f.get(word) + 1) % (1 << f.width)) << f.lsb)
    if pattern.matches(word):
        return word
    raise RuntimeError(f"cannot draw a word for {pattern.name}")


def _is_memory(pattern: Pattern) -> bool:
    return pattern.group.startswith("Loads and stores")


def _vector_value(src: Source) -> int:
    """A 128-bit register value: uniformly random, or two edge-biased 64-bit halves."""
    if src.bits(1):
        return src.bits(128)
    return (src.register() << 64) | src.register()


def random_snapshot(pattern: Pattern, word: int, src: Source) -> Snapshot:
    """Registers and memory for executing ``word``; base registers of memory accesses point into memory."""
    x = [src.register() for _ in range(31)]
    sp = src.register()
    fields = pattern.field_values(word)
    if _is_memory(pattern) and "Rn" in fields:
        align = 16 if src.bits(1) else 1
        if fields["Rn"] == 31 and align == 1 and src.bits(2):
            align = 16  # mostly an aligned SP: with a misaligned one lnsym only takes the SP alignment fault
        base = (DATA_CENTRE + (src.bits(13) - 4096)) & ~(align - 1)
        rm = fields.get("Rm", 31)
        if "Rm" in fields and rm != 31 and pattern.name.endswith("ldst_regoff"):
            # an index the extend option keeps small: SXTW/SXTX see a signed value, UXTW a small one
            option = fields.get("option", 3)
            small = src.bits(10) - 512 if option & 4 else src.bits(9)
            x[rm] = small & (0xFFFF_FFFF if option in (2, 6) and src.bits(1) else 0xFFFF_FFFF_FFFF_FFFF)
        if fields["Rn"] == 31:
            sp = base
        else:
            x[fields["Rn"]] = base  # the base wins if Rm == Rn
    v = [_vector_value(src) for _ in range(32)]
    return Snapshot(
        x=x, sp=sp, pc=CODE_ADDRESS, nzcv=src.bits(4), v=v,
        regions=[(REGION_START, background(), "rwx")],
        patches=[(CODE_ADDRESS, word.to_bytes(4, "little"))],
    )


@dataclass
class Mismatch:
    encoding: str
    word: int
    lnsym: Outcome
    unicorn: Outcome

    def describe(self) -> str:
        a, b = self.lnsym, self.unicorn
        diffs = []
        if a.ending != b.ending:
            diffs.append(f"ending lnsym={a.ending} unicorn={b.ending}")
        for i, (p, q) in enumerate(zip(a.x, b.x)):
            if p != q:
                diffs.append(f"X{i} lnsym={p:#x} unicorn={q:#x}")
        for name in ("sp", "pc", "nzcv", "fpsr"):
            if getattr(a, name) != getattr(b, name):
                diffs.append(f"{name} lnsym={getattr(a, name):#x} unicorn={getattr(b, name):#x}")
        for i, (p, q) in enumerate(zip(a.v, b.v)):
            if p != q:
                diffs.append(f"V{i} lnsym={p:#x} unicorn={q:#x}")
        if a.writes != b.writes:
            diffs.append(f"memory writes differ: lnsym={_span(a.writes)} unicorn={_span(b.writes)}")
        return f"{self.encoding} word={self.word:#010x}: " + "; ".join(diffs)


def _span(writes: dict[int, int]) -> str:
    if not writes:
        return "none"
    lo, hi = min(writes), max(writes)
    data = bytes(writes.get(a, 0) for a in range(lo, hi + 1))
    return f"[{lo:#x}..{hi:#x}]={data.hex()}"


def _qemu_skips_exclusive_alignment(a: Outcome, b: Outcome) -> bool:
    """Known QEMU deviation: a store-exclusive whose monitor check fails is not alignment-checked.

    The Arm ARM's ``AArch64.ExclusiveMonitorsPass`` checks alignment before the monitor, so lnsym
    raises an alignment fault; QEMU (hence Unicorn) writes status 1 and continues.
    """
    if a.ending != "fault" or not a.fault.startswith("alignment ") or b.ending == "fault":
        return False
    return is_store_exclusive(int(a.fault.split()[1], 16))


def is_store_exclusive(word: int) -> bool:
    """STXR/STLXR/STXP/STLXP and their byte/halfword forms: load/store exclusive class, o2 == 0, L == 0."""
    return word & 0x3FC0_0000 == 0x0800_0000


def is_ordered_access(word: int) -> bool:
    """LDAR/STLR and their byte/halfword forms (and LDLAR/STLLR): load/store exclusive class with o2 == 1."""
    return word & 0x3F80_0000 == 0x0880_0000


def _qemu_skips_ordered_alignment(a: Outcome, b: Outcome) -> bool:
    """Known QEMU deviation: LDAR/STLR (and byte/halfword forms) are not alignment-checked.

    Armv8.0 requires ordered accesses to be aligned (lnsym faults); QEMU's ``max`` CPU implements
    FEAT_LSE2-style unaligned ordered accesses and performs them, even across 16 bytes.
    """
    if a.ending != "fault" or not a.fault.startswith("alignment ") or b.ending == "fault":
        return False
    return is_ordered_access(int(a.fault.split()[1], 16))


def _unicorn_skips_sp_alignment(a: Outcome, b: Outcome) -> bool:
    """Known Unicorn deviation: no SP alignment check.  Linux runs EL0 with ``SCTLR_EL1.SA0`` set, so a load or
    store whose base register is SP faults (SIGBUS) when SP is not 16-byte aligned (``CheckSPAlignment``);
    Unicorn's CPU leaves SA0 clear and performs the access.  Matched narrowly: lnsym's fault is an SP
    alignment fault, its SP (unchanged by the faulting instruction) is not 16-byte aligned, and the
    faulting word is a load/store (op0 = x1x0) with Rn == 31."""
    if a.ending != "fault" or not a.fault.startswith("sp-alignment ") or b.ending == "fault" or a.sp % 16 == 0:
        return False
    word = int(a.fault.split()[1], 16)
    return word & 0x0A00_0000 == 0x0800_0000 and (word >> 5) & 31 == 31


def agree(a: Outcome, b: Outcome) -> bool:
    """Outcomes agree when both ended the same way and, if not undefined, left the same state."""
    if a.ending in ("unpredictable", "unsupported"):
        return True
    if _qemu_skips_exclusive_alignment(a, b) or _qemu_skips_ordered_alignment(a, b):
        return True
    if _unicorn_skips_sp_alignment(a, b):
        return True
    if a.ending in ("hlt", "udf") and b.ending == "undefined":
        return True  # at EL0 with halting disabled HLT is UNDEFINED; UDF always is
    if a.ending != b.ending:
        return False
    if a.ending in ("undefined", "fault"):
        return True
    return a.registers() == b.registers() and a.writes == b.writes


def run_case(pattern: Pattern, word: int, snap: Snapshot, steps: int = 1) -> tuple[Mismatch | None, str]:
    """Compare lnsym (interpreted, and compiled from the traced semantics) with Unicorn.

    Returns the mismatch, if any, and how lnsym's run ended ("ok", "undefined", "fault", ...).
    """
    ours = run_lnsym(snap, steps, compiled=False)
    theirs = run_unicorn(snap, steps)
    if not agree(ours, theirs):
        return Mismatch(pattern.name, word, ours, theirs), ours.ending
    if word % 4:
        return None, ours.ending  # the compiled path is cross-checked on a quarter of the cases
    compiled = run_lnsym(snap, steps, compiled=True)
    if compiled != ours:
        return Mismatch(pattern.name + " (compiled path)", word, compiled, ours), ours.ending
    return None, ours.ending


def check_word(pattern: Pattern, word: int, snap: Snapshot, steps: int = 1) -> Mismatch | None:
    return run_case(pattern, word, snap, steps)[0]


def check_encoding(name: str, src: Source) -> Mismatch | None:
    """Draw one word of encoding ``name`` and one state, run both, report any disagreement."""
    return encoding_case(name, src)[0]


def encoding_case(name: str, src: Source) -> tuple[Mismatch | None, str]:
    """:func:`check_encoding` that also says how lnsym's run ended."""
    pattern = isa.decoder().by_name[name]
    word = random_word(pattern, src)
    return run_case(pattern, word, random_snapshot(pattern, word, src))


# ------------------------------------------------------------------------------------------------
# random instruction sequences

BASE_REG = 28  # memory accesses use X28 or SP as base; nothing else writes them
INDEX_REG = 27  # register-offset accesses index with X27, kept small
_EXCLUDED_FROM_SEQUENCES = ("SVC_", "BRK_", "HLT_", "UDF_", "BR_", "BLR_", "RET_", "HINT_", "WFI_", "WFE_")
_DEST_FIELDS = ("Rd", "Rt", "Rt2", "Rs", "Ra")


def _sequence_patterns() -> list[Pattern]:
    return [p for p in isa.decoder().patterns if not p.name.startswith(_EXCLUDED_FROM_SEQUENCES)]


def _fits_sequence(pattern: Pattern, fields: dict[str, int], index: int, length: int) -> bool:
    memory = _is_memory(pattern)
    for name in _DEST_FIELDS:
        if name in fields and fields[name] in (BASE_REG, INDEX_REG):
            return False
    if not memory and fields.get("Rd") == 31:
        return False  # would write SP
    if memory and "Rn" in fields and fields["Rn"] not in (BASE_REG, 31):
        return False
    if memory and "Rm" in fields and fields["Rm"] != INDEX_REG:
        return False
    if pattern.group.startswith("Branches"):
        for name, width in (("imm19", 19), ("imm14", 14), ("imm26", 26)):
            if name in fields:
                offset = fields[name] - (1 << width) if fields[name] >> (width - 1) else fields[name]
                return 1 <= offset <= length - index
    return True


_EXCLUSIVE_LOADS = ("LDXR", "LDAXR", "LDXP", "LDAXP")
_MONITOR_CLOSERS = ("STXR", "STLXR", "STXP", "STLXP", "CLREX")
_OTHER_WRITERS = ("ST", "SWP", "CAS", "LDADD", "LDCLR", "LDEOR", "LDSET", "LDSMAX", "LDSMIN", "LDUMAX", "LDUMIN")


def _plain_write(pattern: Pattern) -> bool:
    """A memory write that is not a store-exclusive."""
    return pattern.name.startswith(_OTHER_WRITERS) and not pattern.name.startswith(_MONITOR_CLOSERS)


def random_sequence(src: Source, length: int = 24) -> tuple[list[int], Snapshot]:
    """``length`` random instructions (forward branches only, memory through X28/SP) then ``BRK #0``.

    No plain store follows a load-exclusive (a forward branch may skip the store-exclusive that would
    close it): whether such a store to the marked block clears the local monitor is IMPLEMENTATION
    DEFINED (lnsym keeps it; QEMU's store-exclusive compares the loaded value, so it fails when the
    store changed the data)."""
    patterns = _sequence_patterns()
    words: list[int] = []
    monitor_open = False
    while len(words) < length:
        p = patterns[src.bits(16) % len(patterns)]
        if monitor_open and _plain_write(p):
            continue
        for _ in range(200):
            word = random_word(p, src)
            fields = p.field_values(word)
            # steer register fields towards the constraints before testing them
            if _is_memory(p) and "Rn" in fields:
                word = (word & ~(31 << 5)) | ((BASE_REG if src.bits(1) else 31) << 5)
            if _is_memory(p) and "Rm" in fields:
                word = (word & ~(31 << 16)) | (INDEX_REG << 16)
            for name in ("imm19", "imm14", "imm26"):
                f = next((f for f in p.fields if f.name == name), None)
                if f is not None:
                    word = (word & ~(((1 << f.width) - 1) << f.lsb)) | ((1 + src.bits(3)) << f.lsb)
            if p.matches(word) and _fits_sequence(p, p.field_values(word), len(words), length):
                try:
                    isa.decoder().decode(word)
                except DecodeError:
                    continue  # sequences are for executing: skip reserved and unpredictable forms
                words.append(word)
                monitor_open = monitor_open or p.name.startswith(_EXCLUSIVE_LOADS)
                break
    words.append(0xD4200000)  # BRK #0 ends the block
    x = [src.register() for _ in range(31)]
    x[BASE_REG] = DATA_CENTRE + 16 * (src.bits(8) - 128)
    x[INDEX_REG] = (src.bits(8) - 128) & 0xFFFF_FFFF_FFFF_FFFF
    sp = DATA_CENTRE + 0x4000 + 16 * src.bits(6)
    code = b"".join(w.to_bytes(4, "little") for w in words)
    snap = Snapshot(
        x=x, sp=sp, pc=CODE_ADDRESS, nzcv=src.bits(4),
        regions=[(REGION_START, background(), "rwx")], patches=[(CODE_ADDRESS, code)],
    )
    return words, snap
