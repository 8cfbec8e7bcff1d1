"""Cut-point induction over stream loops (lnsym.prove.stream): OpenSSL's ``aes_v8_ctr32_encrypt_blocks`` is
proved for every block count (a five-block loop, a three-block loop, a tail, a buffer written block by block),
and the proof rejects a wrong invariant, a wrong specification, a window too small for one run, and a routine
that goes wrong only when the five-block loop hands over to the tail (n >= 36 and n mod 5 != 0) -- which the
unrolled 35-block proof cannot see."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from openssl_fixture import libcrypto

from lnsym.check.mutants import Mutant, patched
from lnsym.contracts.openssl_aes_ctr import ctr32_contract
from lnsym.load.loader import load
from lnsym.prove.procedures import Verdict
from lnsym.prove.prover import verify
from lnsym.prove.stream import prove_stream_loop

SCRIPT = Path(__file__).resolve().parent.parent / "programs" / "proofs" / "openssl" / "aes_v8_ctr32_encrypt_blocks.py"


@pytest.fixture(scope="module")
def ctr32() -> tuple[object, object, object]:
    libcrypto()  # skips, with the reason, when the package registry cannot be reached
    from lnsym.cli.prove import load_script

    contract, loop = load_script(SCRIPT)
    image = load(contract.object_path(None), member=contract.member, symbol=contract.symbol)
    return contract, loop, image


def _failures(result: object) -> list[tuple[str, str]]:
    return [(o.name, o.verdict) for o in result.obligations if o.verdict != Verdict.PROVED]  # type: ignore[attr-defined]


def test_aes_v8_ctr32_encrypt_blocks_is_proved_for_every_block_count(ctr32: tuple) -> None:
    contract, loop, image = ctr32
    start = time.perf_counter()
    result = prove_stream_loop(contract, loop, image=image)
    seconds = time.perf_counter() - start
    assert result.verdict == Verdict.PROVED, (result.detail, _failures(result))
    names = {o.name.split(":")[0] for o in result.obligations}
    five, three, tail = ("cut aes_v8_ctr32_encrypt_blocks+0xb0", "cut aes_v8_ctr32_encrypt_blocks+0x2d0",
                         "cut aes_v8_ctr32_encrypt_blocks+0x420")
    for run in (f"call, left = 1 -> {tail}", f"call, left >= 5 -> {five}", f"call, left >= 5 -> {three}",
                f"{five}, left >= 5 -> {five}", f"{five}, left >= 5 -> {three}", f"{five}, left >= 5 -> {tail}",
                f"{five}, left >= 5 -> return", f"{three}, left >= 5 -> {three}", f"{three}, left = 3 -> return",
                f"{tail}, left = 2 -> return", f"{tail}, left = 1 -> return"):
        assert run in names, run
    every = {o.name for o in result.obligations}
    assert f"{five}, left >= 5 -> {five}: blocks left (consumed 5)" in every
    assert f"{five}, left >= 5 -> {five}: out block +4 byte 15" in every
    assert f"{five}, left >= 5 -> {five}: v25" in every  # the counter block five ahead
    assert f"call, left = 2 -> {tail}: x12" in every  # the input step of the tail's second load
    assert f"{tail}, left = 1 -> return: frame: x29 restored" in every
    assert any(a.startswith("blocks >= 1") for a in result.assumptions)
    print(f"\nopenssl aes_v8_ctr32_encrypt_blocks (AES-128), every block count: proved in {seconds:.1f}s, "
          f"{len(result.obligations)} obligations")


def test_a_wrong_counter_register_in_the_invariant_is_rejected(ctr32: tuple) -> None:
    contract, loop, image = ctr32
    five = loop.cuts[0]

    def off_by_one(p: object) -> dict:
        regs = five.holds(p)
        regs["x8"] = regs["x8"] - 1
        return regs

    wrong = replace(loop, cuts=(replace(five, holds=off_by_one), *loop.cuts[1:]))
    result = prove_stream_loop(contract, wrong, image=image)
    assert result.verdict == Verdict.UNKNOWN and ": x8" in result.detail, result.detail
    # the model's regions overlapped (disjointness is an assumption, not a path condition): the replay asks for
    # a model with them disjoint, runs it on Unicorn from the call and sees W8 one above what the cut claims
    assert result.counterexample and result.counterexample["replays"] is True, result.counterexample


def test_a_wrong_specification_is_rejected(ctr32: tuple) -> None:
    """The counter stepping by two: the second block's output differs."""
    contract, loop, image = ctr32

    def step_by_two(carried: list, block: list, inputs: object) -> tuple[list, list]:
        after, out = loop.step(carried, block, inputs)
        return [after[0] + 1], out

    result = prove_stream_loop(contract, replace(loop, step=step_by_two), image=image)
    assert result.verdict == Verdict.UNKNOWN and "fails" in result.detail, result.detail


def test_a_window_too_small_for_one_run_is_not_proved(ctr32: tuple) -> None:
    """With cuts on the two back-edges only (no cut at the tail or at the loops' forward entries), the
    five-block loop's last pass can run on through the three-block loop and a one-block tail: nine blocks in
    one run.  A window of eight makes that path access past its window: unknown, never proved."""
    contract, loop, image = ctr32
    five, three, _ = loop.cuts
    back_edges = (replace(five, via="aes_v8_ctr32_encrypt_blocks+0x2a8"),
                  replace(three, via="aes_v8_ctr32_encrypt_blocks+0x408"))
    result = prove_stream_loop(contract, replace(loop, window=8, cuts=back_edges), image=image)
    assert result.verdict == Verdict.UNKNOWN and "is outside region in (128 bytes)" in result.detail, result.detail


def test_a_routine_wrong_only_after_the_five_block_loop_is_not_proved(ctr32: tuple) -> None:
    """``sub w8, w8, #5`` (undoing the last counter step when the five-block loop exits into the three-block
    loop or the tail) becomes ``#4``: wrong counters when a pass of the three-block loop and then a one-block
    tail follow it (n >= 39 with n mod 5 = 4; the tail's counter blocks come from the loop before it).  The unrolled
    35-block proof (its one five-block shape) proves the mutant; the induction does not."""
    contract, loop, image = ctr32
    address = image.address("aes_v8_ctr32_encrypt_blocks") + 0x2b0
    bad = patched(image, Mutant(address, 0x51001508, 0x51001108, "imm", "sub w8, w8, #5 -> #4"))
    result = prove_stream_loop(contract, loop, image=bad)
    assert result.verdict == Verdict.UNKNOWN, result.verdict
    # the hand-over from the five-block loop to the three-block loop: W8 one above what the three-block loop needs
    assert "cut aes_v8_ctr32_encrypt_blocks+0xb0, left >= 5 -> cut aes_v8_ctr32_encrypt_blocks+0x2d0: x8" \
        in result.detail, result.detail
    assert result.counterexample and result.counterexample["replays"] is True, result.counterexample
    unrolled = verify(ctr32_contract(35, 10), image=bad)
    assert unrolled.verdict == Verdict.PROVED, unrolled.detail
