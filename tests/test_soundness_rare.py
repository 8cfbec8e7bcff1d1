"""Rare-input bugs must be refuted, never proved: variants of the bundled routines that go wrong only on one
magic input word (compare and branch, ``CSEL``/``CSET``/``CCMP``, a masked ``TST``, an unsigned bound) or only
when an addition carries (``ADDS`` + ``ADC``/``CSET CS``), generated from ``programs/*.S`` and assembled with
the GNU cross assembler.  Random simulation never draws such an input and a solver cannot take the whole
obligation (ten AES rounds, 64 SHA rounds); condition-directed sampling (:mod:`lnsym.prove.rare`) must find one, and
the counterexample must show the wrong output on lnsym's concrete machine (and on Unicorn when installed).

The default run covers AES (encrypt, key expansion), SHA-256, SHA-512, ChaCha20, CRC32C and GHASH; variants
whose magic word is an intermediate value deep in the computation are a ``--campaign`` run (they may end
unknown, but must never be proved)."""

from __future__ import annotations

import dataclasses
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from asm_tools import assemble

from lnsym.contract import Contract, load_contract_file
from lnsym.prove.prover import Result, verify

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
FLIP = "    movi    v31.2d, #0x00ff0000000000ff\n    eor     {s}.16b, {s}.16b, v31.16b\n"


@dataclass(frozen=True)
class Site:
    """Where a routine can be made wrong: after the line ``anchor`` (``before``: before it), the register
    holding live state (``state``: a vector, or a W register for CRC) and instructions that put input words in
    X9 (``probes64``) or W9 (``probes32``); ``second`` puts another input word in W13 (for a CCMP)."""

    routine: str
    anchor: str
    state: str
    probes64: tuple[str, ...]
    probes32: tuple[str, ...]
    second: str
    before: bool = False
    occurrence: int = 0  # which line equal to ``anchor`` (comments aside)


SITES = (
    Site("aes128_encrypt_ce", "ld1     {v24.16b, v25.16b, v26.16b}, [x0]", "v0",
         ("umov x9, v0.d[0]", "fmov x9, v16.d[1]", "fmov x9, d26"), ("umov w9, v0.s[2]", "umov w9, v21.s[3]"),
         "umov w13, v16.s[0]"),
    Site("aes128_expand_key_ce", "ld1     {v0.16b}, [x0]", "v0",
         ("umov x9, v0.d[1]", "fmov x9, d0"), ("umov w9, v0.s[1]",), "umov w13, v0.s[3]"),
    Site("sha256_block_ce", "rev32   v7.16b, v7.16b", "v0",
         ("umov x9, v4.d[0]", "fmov x9, v1.d[1]", "ldr x9, [x1, #40]"), ("umov w9, v7.s[3]", "umov w9, v0.s[0]"),
         "umov w13, v5.s[2]"),
    Site("sha512_block_ce", "rev64   v23.16b, v23.16b", "v2",
         ("umov x9, v19.d[1]", "fmov x9, d3"), ("umov w9, v16.s[1]",), "umov w13, v1.s[0]"),
    Site("chacha20_qround_neon", "ld1     {v0.4s, v1.4s, v2.4s, v3.4s}, [x0]", "v0",
         ("umov x9, v2.d[1]",), ("umov w9, v3.s[0]",), "umov w13, v1.s[2]"),
    Site("crc32c_64", "mvn     w0, w0", "w0",
         ("ldr x9, [x1, #16]",), ("mov w9, w0",), "ldr w13, [x1, #60]", before=True),
    Site("ghash_mul_pmull", "ld1     {v1.16b}, [x1]", "v0",
         ("umov x9, v1.d[0]",), ("umov w9, v0.s[3]",), "umov w13, v1.s[3]"),
)
SOURCES = {"crc32c_64": "crc32c"}
DEEP = (  # the magic word is an intermediate value or the output: its condition is deep in the rounds
    Site("aes128_encrypt_ce", "aese    v0.16b, v21.16b", "v0", ("umov x9, v0.d[1]",), ("umov w9, v0.s[0]",),
         "umov w13, v0.s[2]", before=True),
    Site("aes128_encrypt_ce", "st1     {v0.16b}, [x2]", "v0", ("umov x9, v0.d[0]",), ("umov w9, v0.s[3]",),
         "umov w13, v0.s[1]", before=True),
    Site("sha256_block_ce", "ld1     {v16.4s}, [x2], #16", "v0", ("umov x9, v0.d[0]",), ("umov w9, v0.s[1]",),
         "umov w13, v1.s[2]", before=True, occurrence=2),
    Site("sha256_block_ce", "st1     {v0.4s, v1.4s}, [x0]", "v0", ("umov x9, v1.d[1]",), ("umov w9, v0.s[0]",),
         "umov w13, v0.s[3]", before=True),
    Site("sha512_block_ce", "st1     {v0.2d, v1.2d, v2.2d, v3.2d}, [x0]", "v0", ("umov x9, v2.d[0]",),
         ("umov w9, v3.s[1]",), "umov w13, v1.s[2]", before=True),
)


def _mov(reg: str, value: int, width: int) -> str:
    """MOVZ/MOVK of ``value`` into ``reg`` (``width`` 32 or 64 bits)."""
    lines = [f"    movz {reg}, #{value & 0xFFFF:#x}\n"]
    lines += [f"    movk {reg}, #{(value >> s) & 0xFFFF:#x}, lsl #{s}\n" for s in range(16, width, 16)]
    return "".join(lines)


def _corrupt(site: Site) -> str:
    """Instructions that change the live state unconditionally (a fixed non-zero XOR)."""
    if site.state.startswith("w"):
        return f"    eor {site.state}, {site.state}, #0x10\n"
    return FLIP.format(s=site.state)


def _mix(site: Site, reg: str) -> str:
    """XOR general register ``reg`` (X11 or W11, 0 unless the rare case) into the live state."""
    if site.state.startswith("w"):
        return f"    eor {site.state}, {site.state}, w{reg[1:]}\n"
    lanes = "2d" if reg.startswith("x") else "4s"
    return f"    dup v30.{lanes}, {reg}\n    eor {site.state}.16b, {site.state}.16b, v30.16b\n"


def _bug(kind: str, site: Site, probe: str, magic: int) -> str:
    """The inserted code of one rare-input bug of ``kind`` reading an input word with ``probe``."""
    m32 = magic & 0xFFFF_FFFF
    if kind == "branch-eq64":
        return f"    {probe}\n{_mov('x10', magic, 64)}    cmp x9, x10\n    b.ne 7f\n{_corrupt(site)}7:\n"
    if kind == "branch-eq32":
        return f"    {probe}\n{_mov('w10', m32, 32)}    cmp w9, w10\n    b.ne 7f\n{_corrupt(site)}7:\n"
    if kind == "cbnz-xor":
        return f"    {probe}\n{_mov('x10', magic, 64)}    eor x11, x9, x10\n    cbnz x11, 7f\n{_corrupt(site)}7:\n"
    if kind == "tst-mask":
        return f"    {probe}\n    tst x9, #0xffffff000000\n    b.ne 7f\n{_corrupt(site)}7:\n"
    if kind == "branch-hi":
        return f"    {probe}\n{_mov('x10', magic | 0xFFFF_FF00_0000_0000, 64)}    cmp x9, x10\n    b.ls 7f\n" \
               f"{_corrupt(site)}7:\n"
    if kind == "csel":
        return f"    {probe}\n{_mov('x10', magic, 64)}    mov x12, #0x100\n    cmp x9, x10\n" \
               f"    csel x11, x12, xzr, eq\n{_mix(site, 'x11')}"
    if kind == "cset32":
        return f"    {probe}\n{_mov('w10', m32, 32)}    cmp w9, w10\n    cset w11, eq\n{_mix(site, 'w11')}"
    if kind == "ccmp":
        return f"    {probe}\n    {site.second}\n{_mov('w10', m32, 32)}" \
               f"{_mov('w14', (magic >> 32) & 0xFFFF_FFFF, 32)}    cmp w9, w10\n    ccmp w13, w14, #0, eq\n" \
               f"    mov x12, #0x8000\n    csel x11, x12, xzr, eq\n{_mix(site, 'x11')}"
    if kind == "carry64":
        return f"    {probe}\n    mov x10, #{magic & 0xF | 2}\n    adds x11, x9, x10\n    adc x11, xzr, xzr\n" \
               f"{_mix(site, 'x11')}"
    if kind == "carry32":
        return f"    {probe}\n    adds w11, w9, #{magic & 0xFF | 1}\n    cset w11, cs\n{_mix(site, 'w11')}"
    if kind == "adc-sum":
        return f"    {probe}\n    mov x10, #3\n    adds x11, x9, x10\n    adc x12, x9, xzr\n    sub x11, x12, x9\n" \
               f"{_mix(site, 'x11')}"
    raise ValueError(kind)


KINDS64 = ("branch-eq64", "cbnz-xor", "tst-mask", "branch-hi", "csel", "carry64", "adc-sum")
KINDS32 = ("branch-eq32", "cset32", "ccmp", "carry32")


@dataclass(frozen=True)
class Variant:
    site: Site
    kind: str
    probe: str
    code: str

    @property
    def name(self) -> str:
        return f"{self.site.routine}:{self.kind}:{self.probe.split()[-1]}"


def variants(sites: tuple[Site, ...] = SITES, seed: int = 21) -> list[Variant]:
    """Every site with every kind, cycling through its probes (magic values drawn from ``seed``)."""
    rng = random.Random(seed)
    out = []
    for site in sites:
        for k, kind in enumerate(KINDS64 + KINDS32):
            probes = site.probes64 if kind in KINDS64 else site.probes32
            probe = probes[k % len(probes)]
            out.append(Variant(site, kind, probe, _bug(kind, site, probe, rng.getrandbits(64) | 1 << 63)))
    return out


def _source(site: Site) -> str:
    return (PROGRAMS / f"{SOURCES.get(site.routine, site.routine)}.S").read_text()


def _contract(site: Site) -> Contract:
    (c,) = [c for c in load_contract_file(PROGRAMS / f"{SOURCES.get(site.routine, site.routine)}.py")
            if c.symbol == site.routine]
    return c


def build(v: Variant, directory: Path) -> Contract:
    """Assemble ``v`` and return the bundled contract retargeted at its object."""
    src = _source(v.site)
    lines = src.splitlines(keepends=True)
    at = [k for k, line in enumerate(lines) if line.split("//")[0].strip() == v.site.anchor][v.site.occurrence]
    lines.insert(at if v.site.before else at + 1, v.code)
    patched = "".join(lines)
    obj = assemble(directory, patched, _safe(v.name) + ".o")
    return dataclasses.replace(_contract(v.site), object=str(obj))


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def _run(v: Variant, directory: Path, timeout_s: float) -> tuple[Result, float]:
    contract = build(v, directory)
    start = time.perf_counter()
    result = verify(contract, timeout_s=timeout_s)
    return result, time.perf_counter() - start


def _replays(result: Result) -> bool:
    """The counterexample shows a wrong output on lnsym's machine, and on Unicorn when it is installed."""
    cx = result.counterexample or {}
    runs = [cx.get("replay_lnsym"), cx.get("replay_unicorn")]
    wrong = [isinstance(r, list) and r != ["no difference on these inputs"] for r in runs]
    return cx.get("replays") is True and wrong[0] and (wrong[1] or runs[1] == "not available")


SLOW = ("crc32c_64", "ghash_mul_pmull")  # about 1.2 s per variant: every third kind by default


def _campaign(found: list[Variant], directory: Path, timeout_s: float, must_refute: bool) -> Counter[str]:
    """Verify every variant; none may be proved; with ``must_refute`` each must be refuted with a counterexample
    that replays.  Prints the counts and the time per variant."""
    counts: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    methods: Counter[str] = Counter()  # how the refutations were found
    problems, times = [], []
    for v in found:
        result, seconds = _run(v, directory, timeout_s)
        counts[result.verdict] += 1
        by_kind[v.kind] += 1
        times.append(seconds)
        methods.update(o.method for o in result.obligations if o.verdict == "refuted")
        if result.verdict == "proved":
            problems.append(f"SOUNDNESS BUG: {v.name} proved")
        elif result.verdict == "refuted" and not _replays(result):
            problems.append(f"{v.name}: counterexample does not replay: {result.counterexample}")
        elif result.verdict != "refuted" and must_refute:
            problems.append(f"{v.name}: {result.verdict} ({result.detail})")
    print(f"\nrare-input variants: {len(found)} ({dict(by_kind)}); refuted {counts['refuted']}, "
          f"unknown {counts['unknown']}, proved {counts['proved']}; "
          f"{sum(times) / len(times):.2f}s per variant (max {max(times):.2f}s); found by {dict(methods)}")
    assert counts["proved"] == 0, problems
    assert not problems, "\n".join(problems)
    return counts


def test_rare_input_bugs_are_refuted(tmp_path: Path) -> None:
    kinds = KINDS64 + KINDS32
    found = [v for v in variants() if v.site.routine not in SLOW or kinds.index(v.kind) % 3 == 0]
    assert len(found) >= 30
    assert {v.site.routine for v in found} >= {"aes128_encrypt_ce", "sha256_block_ce", "sha512_block_ce"}
    assert set(kinds) <= {v.kind for v in found if v.site.routine == "aes128_encrypt_ce"}
    _campaign(found, tmp_path, timeout_s=10, must_refute=True)


@pytest.mark.campaign
def test_rare_input_bugs_every_site(tmp_path: Path) -> None:
    """Every kind at every site of the bundled routines (the default run samples CRC32C and GHASH)."""
    _campaign(variants(), tmp_path, timeout_s=10, must_refute=True)


@pytest.mark.campaign
def test_deep_rare_input_bugs_are_never_proved(tmp_path: Path) -> None:
    """Magic words deep in the rounds (AES after four rounds and at the output, SHA-256 after eight rounds and
    at the output, SHA-512 at the output): refuted where backward propagation reaches a fresh input (the last
    round key, a message word), otherwise unknown; never proved.  Branching kinds are left out (their
    rare path's feasibility check is a whole-cone query the symbolic executor gives up on)."""
    found = [v for v in variants(DEEP) if v.kind in ("csel", "cset32", "carry64", "ccmp")]
    counts = _campaign(found, tmp_path, timeout_s=2, must_refute=False)
    assert counts["refuted"] >= 6
