"""Mutation analysis of the prover: single-instruction mutants of proved routines (bundled programs and
OpenSSL's) must be refuted with counterexamples that replay on lnsym and Unicorn whenever concrete
testing (harness + spec evaluated concretely) shows them wrong, and must never be proved then.

The default suite draws a few seeded mutants per routine; ``--campaign`` draws many per routine of
every proved built-in contract."""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import pytest
from openssl_fixture import libcrypto

import isa
from lnsym.check.mutants import NOP, Mutant, mutants_of, patched, sample
from lnsym.check.mutation import RoutineReport, analyse, assess, random_inputs
from lnsym.contract import Contract, load_contract_file
from lnsym.contracts.openssl import CONTRACTS
from lnsym.load.loader import load
from lnsym.machine.stepper import capstone_text

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
BUNDLED = sorted(p for p in PROGRAMS.glob("*.py") if not p.name.startswith("_"))
OPENSSL_DEFAULT = ("sha256_block_armv8", "sha512_block_armv8", "aes_v8_encrypt[10]")


def _openssl(name: str) -> Contract:
    from lnsym.contracts.openssl import contract

    return contract(name, str(libcrypto()))


def _check(c: Contract, report: RoutineReport) -> None:
    assert not report.skipped, report.skipped
    assert report.results, f"{c.name}: no mutants drawn"
    unsound = [r.mutant.describe() for r in report.results if r.status == "UNSOUND"]
    assert not unsound, "SOUNDNESS BUG: mutants shown wrong by concrete testing were proved: " + "; ".join(unsound)
    problems = []
    for r in report.results:
        if r.concrete == "differs" and not (r.verdict == "refuted" and r.replays):  # counted: must be killed
            problems.append(f"not killed: {r.mutant.describe()}: verify {r.verdict} ({r.detail})")
        elif r.concrete == "faults" and r.verdict == "proved":
            problems.append(f"faulting mutant proved: {r.mutant.describe()}")
        elif r.concrete == "same" and r.verdict == "refuted" and not r.replays:
            # e.g. wrong only for buffer addresses at or above 2^48, which neither machine can map: reported
            warnings.warn(f"{c.name}: undecided (refuted, no replay): {r.mutant.describe()} ({r.detail})",
                          stacklevel=1)
    assert not problems, f"{c.name}: " + "\n".join(problems)


def _analyse(c: Contract, count: int, seed: int) -> RoutineReport:
    image = load(c.object_path(), member=c.member, symbol=c.symbol, defines=c.defines or None)
    return analyse(c, image, count, seed=seed, trials=2, timeout_s=20)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_mutants_are_killed(path: Path) -> None:
    for c in load_contract_file(path):
        _check(c, _analyse(c, count=3, seed=1))


@pytest.mark.parametrize("name", OPENSSL_DEFAULT)
def test_openssl_mutants_are_killed(name: str) -> None:
    c = _openssl(name)
    _check(c, _analyse(c, count=3, seed=1))


@pytest.mark.campaign
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_campaign_bundled_mutants(path: Path) -> None:
    for c in load_contract_file(path):
        _check(c, _analyse(c, count=40, seed=7))


@pytest.mark.campaign
@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_campaign_every_proved_openssl_contract(name: str) -> None:
    from lnsym.prove.prover import verify

    c = _openssl(name)
    result = verify(c, timeout_s=60)
    if result.verdict != "proved":
        pytest.skip(f"only proved routines are mutated; {name} is {result.verdict}")
    _check(c, _analyse(c, count=40, seed=7))


def test_a_mutant_wrong_only_on_some_paths_is_refuted_with_entry_flags() -> None:
    """SUBS -> SUB leaves the loop's exit to the caller's NZCV: with Z set the routine returns a wrong CRC
    after one iteration, otherwise it reads past the buffer.  The returned path's refutation must stand
    although the other path cannot be followed, and its replay must start from the model's NZCV."""
    c = load_contract_file(PROGRAMS / "crc32c.py")[0]
    image = load(c.object_path(), symbol=c.symbol)
    address, _ = image.function(c.symbol)
    subs = next(a for a, w, _ in image.words(c.symbol) if w == 0xF1000463)  # subs x3, x3, #1
    mutant = Mutant(subs, 0xF1000463, 0x51000463, "opcode", "SUBS -> SUB")
    rng = random.Random(4)
    r = assess(c, image, mutant, [random_inputs(c, rng) for _ in range(4)], timeout_s=20)
    assert r.concrete in ("differs", "faults") and r.verdict == "refuted" and r.replays, (r.concrete, r.detail)
    assert address <= subs


def test_opcode_swaps_stay_in_class() -> None:
    eor = 0x6E201C42  # eor v2.16b, v2.16b, v0.16b
    swaps = {m.word: capstone_text(m.word) or "" for m in mutants_of(0, eor, "opcode")}
    texts = " ".join(swaps.values())
    assert "orr v2.16b" in texts and "and v2.16b" in texts and "bic" in texts, swaps
    for word in swaps:
        assert isa.decoder().decode(word)[0].group == isa.decoder().decode(eor)[0].group


def test_register_lane_and_drop_mutants() -> None:
    add = 0x8B020020  # add x0, x1, x2
    regs = mutants_of(0, add, "register")
    assert len(regs) == 3 * 31 and all(bin(m.word ^ add).count("1") <= 5 for m in regs)
    assert {capstone_text(m.word) for m in regs} >= {"add x0, x1, x3", "add x7, x1, x2"}
    umov = 0x0E043C43  # mov w3, v2.s[0]: imm5 = 00100 (S elements), index in imm5<4:3>
    lanes = {capstone_text(m.word) for m in mutants_of(0, umov, "lane")}
    assert lanes == {"mov w3, v2.s[1]", "mov w3, v2.s[2]"}, lanes
    assert [m.word for m in mutants_of(0, add, "drop")] == [NOP]
    assert mutants_of(0, NOP, "drop") == []


def test_patched_image_is_a_copy() -> None:
    c = load_contract_file(PROGRAMS / "crc32c.py")[0]
    image = load(c.object_path(), symbol=c.symbol)
    start, _ = image.function(c.symbol)
    code = [(a, w) for a, w, is_code in image.words(c.symbol) if is_code]
    mutants = sample(code, 12, seed=3)
    assert len({(m.address, m.word) for m in mutants}) == len(mutants) == 12
    assert len({m.kind for m in mutants}) >= 4
    m = mutants[0]
    copy = patched(image, m)
    assert int.from_bytes(copy.read(m.address, 4), "little") == m.word
    assert int.from_bytes(image.read(m.address, 4), "little") == m.original
    assert start <= m.address


def test_mutate_cli_prints_the_kill_rate(capsys: pytest.CaptureFixture[str]) -> None:
    from lnsym.cli.main import main

    assert main(["mutate", str(PROGRAMS / "chacha20_qround_neon.py"), "--count", "4", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "kill rate" in out and "chacha20_qround_neon" in out and "100%" in out
