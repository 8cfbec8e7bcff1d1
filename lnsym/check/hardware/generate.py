"""``lnsym conform generate``: test cases for every supported encoding, written as a self-contained harness.

The output directory holds ``harness.c`` (the recorder), a ``Makefile`` and ``cases.bin`` (the initial states,
in the little-endian layout :func:`write_cases` documents).  Built with ``gcc -static`` on an Arm Linux machine
or ``aarch64-linux-gnu-gcc -static`` here, ``./harness cases.bin > trace.jsonl`` records the trace.

Operands come from the decode table (``random_word`` of :mod:`lnsym.check.conformance`) and the edge-biased
states of the Unicorn campaign (``random_snapshot``, ``random_sequence`` there), moved to the fixed layout
below: a code region filled with ``brk #0`` (so every branch target inside it stops), a read-write data region
and a read-only one (so stores can take permission faults), both filled with a hash.
"""

from __future__ import annotations

import fnmatch
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import isa
from isa.decoder import Pattern
from lnsym.check import conformance as unicorn_campaign
from lnsym.check.hardware.trace import Region, State, TestRecord
from lnsym.errors import LnsymError
from lnsym.machine.oracle import Snapshot

CODE_BASE, DATA_BASE, READ_ONLY_BASE = 0x10_0000_0000, 0x20_0000_0000, 0x30_0000_0000
REGION_SIZE = 0x1_0000  # 64 KiB: a whole page on 4 KiB, 16 KiB and 64 KiB kernels
TEST_PC = CODE_BASE + 0x8000
DATA_CENTRE = DATA_BASE + 0x8000
READ_ONLY_SHARE = 8  # one memory test in 8 has its base in the read-only region

#: encodings not run as single tests, and why (the replay lists them as not covered)
EXCLUDED = {
    "SVC_EX_exception": "a system call with random arguments would change the harness process",
    "WFI_HI_hints": "waits for an interrupt: nothing architectural to compare at EL0",
    "WFE_HI_hints": "waits for an event: nothing architectural to compare at EL0",
}

#: the Linux HWCAP word (1 = AT_HWCAP, 2 = AT_HWCAP2) and bit that says the machine has a feature
HWCAPS: dict[str, tuple[int, int]] = {
    "FEAT_FP": (1, 1 << 0), "FEAT_AdvSIMD": (1, 1 << 1), "FEAT_AES": (1, 1 << 3), "FEAT_PMULL": (1, 1 << 4),
    "FEAT_SHA1": (1, 1 << 5), "FEAT_SHA256": (1, 1 << 6), "FEAT_CRC32": (1, 1 << 7), "FEAT_LSE": (1, 1 << 8),
    "FEAT_FP16": (1, 1 << 9), "FEAT_SHA3": (1, 1 << 17), "FEAT_SHA512": (1, 1 << 21),
    "FEAT_PAuth": (1, 1 << 30), "FEAT_BTI": (2, 1 << 17),
}
_FPCR_RANDOM = 0x07C0_0000  # AHP, DN, FZ, RMode: the FPCR fields every Armv8.0 CPU implements
_FPSR_RANDOM = 0xF800_009F  # the cumulative flags and QC


@dataclass
class Layout:
    """The three regions every test maps."""

    @staticmethod
    def regions(words: list[int]) -> list[Region]:
        code = b"".join(w.to_bytes(4, "little") for w in words)
        return [
            Region(CODE_BASE, REGION_SIZE, "r-x", "brk", [(TEST_PC - CODE_BASE, code)]),
            Region(DATA_BASE, REGION_SIZE, "rw-", "hash"),
            Region(READ_ONLY_BASE, REGION_SIZE, "r--", "hash"),
        ]


def _moved(value: int, target: int) -> int:
    """A register that pointed into the Unicorn campaign's region, moved to the same offset around ``target``."""
    old = unicorn_campaign
    if old.REGION_START <= value < old.REGION_START + old.REGION_SIZE:
        return (value - old.DATA_CENTRE + target) & ((1 << 64) - 1)
    return value


def _record(ident: int, kind: str, pattern_name: str, feature: str, words: list[int], snap: Snapshot,
            src: unicorn_campaign.RandomSource, target: int) -> TestRecord:
    x = [_moved(v, target) for v in snap.x]
    state = State(
        x=x, sp=_moved(snap.sp, target), pc=TEST_PC, nzcv=snap.nzcv,
        fpcr=src.bits(32) & _FPCR_RANDOM if src.bits(1) else 0, fpsr=src.bits(32) & _FPSR_RANDOM,
        tpidr_el0=src.register(), v=list(snap.v),
    )
    return TestRecord(ident, kind, pattern_name, feature, words, state, Layout.regions(words))


def selected_patterns(forms: list[str]) -> list[Pattern]:
    """The decode table's encodings whose name matches one of ``forms`` (globs; all when empty)."""
    patterns = [p for p in isa.decoder().patterns if p.name not in EXCLUDED]
    if forms:
        patterns = [p for p in patterns if any(fnmatch.fnmatchcase(p.name, f) for f in forms)]
        if not patterns:
            raise LnsymError(f"no supported encoding matches {' '.join(forms)} (see lnsym isa)")
    return patterns


def generate(forms: list[str], count: int, seed: int, sequences: int = 0, first_id: int = 0,
             first_pattern: int = 0) -> list[TestRecord]:
    """``count`` single-instruction tests spread evenly over the selected encodings (every one at least
    once when ``count`` allows; a chunked campaign continues the round-robin at ``first_pattern``), then
    ``sequences`` random 24-instruction sequences."""
    patterns = selected_patterns(forms)
    src = unicorn_campaign.RandomSource(seed)
    records: list[TestRecord] = []
    for n in range(count):
        p = patterns[(first_pattern + n) % len(patterns)]
        word = unicorn_campaign.random_word(p, src)
        snap = unicorn_campaign.random_snapshot(p, word, src)
        memory = p.group.startswith("Loads and stores")
        target = DATA_CENTRE
        if memory and src.bits(8) % READ_ONLY_SHARE == 0:
            target = READ_ONLY_BASE + 0x8000
        records.append(_record(first_id + n, "single", p.name, p.feature, [word], snap, src, target))
    for n in range(sequences):
        words, snap = unicorn_campaign.random_sequence(src)
        records.append(_record(first_id + count + n, "sequence", "sequence", "FEAT_AA64", words, snap, src,
                               DATA_CENTRE))
    return records


# ------------------------------------------------------------------------------------------------
# cases.bin: what harness.c reads (read_test() there is the other half of this layout)

_PERM_BITS = {"r": 1, "w": 2, "x": 4}
_FILL_CODES = {"zero": 0, "brk": 1, "hash": 2}


def _text(value: str, size: int) -> bytes:
    data = value.encode()[: size - 1]
    return data + b"\0" * (size - len(data))


def encode_case(rec: TestRecord) -> bytes:
    """One case: id, word count, HWCAP word and mask, kind[16], encoding[64], feature[32], the words, X0-X30,
    SP, PC, NZCV, FPCR, FPSR, TPIDR_EL0 (u64 each), V0-V31 (16 bytes each, little-endian), then the regions:
    address, size (u64), permissions, fill, run count (u32), and per run offset, length (u32) and its bytes."""
    hw_word, hw_mask = HWCAPS.get(rec.feature, (0, 0))
    s = rec.initial
    out = [struct.pack("<IIIQ", rec.id, len(rec.words), hw_word, hw_mask), _text(rec.kind, 16),
           _text(rec.encoding, 64), _text(rec.feature, 32), struct.pack(f"<{len(rec.words)}I", *rec.words),
           struct.pack("<37Q", *s.x, s.sp, s.pc, s.nzcv, s.fpcr, s.fpsr, s.tpidr_el0),
           b"".join(v.to_bytes(16, "little") for v in s.v), struct.pack("<I", len(rec.memory))]
    for region in rec.memory:
        perm = sum(_PERM_BITS.get(c, 0) for c in region.perm)
        out.append(struct.pack("<QQIII", region.address, region.size, perm, _FILL_CODES[region.fill],
                               len(region.runs)))
        for offset, chunk in region.runs:
            out.append(struct.pack("<II", offset, len(chunk)) + chunk)
    return b"".join(out)


def write_cases(path: Path, records: list[TestRecord]) -> None:
    with open(path, "wb") as handle:
        handle.write(b"LNSYMCS1" + struct.pack("<I", len(records)))
        for rec in records:
            handle.write(encode_case(rec))


MAKEFILE = """\
# Build and run the lnsym conformance harness.
#   On an Arm Linux machine:   make trace.jsonl
#   Here, under qemu-user:      make trace.jsonl CC=aarch64-linux-gnu-gcc RUN='qemu-aarch64 -cpu max'
CFLAGS = -O1 -static -fno-stack-protector -w
RUN =

harness: harness.c
\t$(CC) $(CFLAGS) -o $@ harness.c

trace.jsonl: harness cases.bin
\t$(RUN) ./harness cases.bin > $@.part && mv $@.part $@
"""


def write_harness(out: Path, records: list[TestRecord]) -> None:
    """The harness directory: ``harness.c``, ``Makefile`` and ``cases.bin``."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(__file__).with_name("harness.c"), out / "harness.c")
    (out / "Makefile").write_text(MAKEFILE)
    write_cases(out / "cases.bin", records)
