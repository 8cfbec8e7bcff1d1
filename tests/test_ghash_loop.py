"""OpenSSL's gcm_ghash_v8 for every length (programs/proofs/openssl/gcm_ghash_v8.py): proved through the field
procedure, while a wrong invariant (H^2 where the loop holds H^3's product), a wrong specification (one
product too many per block) and a window too small for the cuts' lookahead are not proved."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openssl_fixture import libcrypto

from bitvec import Value
from lnsym.contract import import_file
from lnsym.prove.procedures import Method, Verdict
from lnsym.prove.stream import Progress, prove_stream_loop

SCRIPT = Path(__file__).resolve().parents[1] / "programs" / "proofs" / "openssl" / "gcm_ghash_v8.py"


@pytest.fixture(scope="module")
def script():  # type: ignore[no-untyped-def]
    libcrypto()  # skips, with the reason, when the package registry cannot be reached
    return import_file(SCRIPT, "proof script")


def test_every_length_is_proved(script) -> None:  # type: ignore[no-untyped-def]
    result = prove_stream_loop(script.CONTRACT, script.LOOP, timeout_s=60)
    assert result.verdict == Verdict.PROVED, result.detail
    methods = {o.method for o in result.obligations}
    assert Method.FIELD in methods  # the four-block step needs the ring identity
    assert any("len = 16 n" in a for a in result.assumptions)
    print(f"gcm_ghash_v8 every len: {result.seconds:.1f} s, {len(result.obligations)} obligations")


def test_h2_in_place_of_h3_in_the_invariant_is_not_proved(script) -> None:  # type: ignore[no-untyped-def]
    def wrong(p: Progress) -> dict[str, Value]:
        regs = script.group_holds(p)
        t = script.table(p.inputs)
        i1, i2, i3 = (script.block(p, j) for j in (1, 2, 3))
        lo = script.lo
        regs["v29"] = script.pmull(lo(t[0]), lo(i3)) ^ script.pmull(lo(t[2]), lo(i2)) ^ script.pmull(lo(t[2]), lo(i1))
        return regs

    cuts = (dataclasses.replace(script.LOOP.cuts[0], holds=wrong), *script.LOOP.cuts[1:])
    result = prove_stream_loop(script.CONTRACT, dataclasses.replace(script.LOOP, cuts=cuts), timeout_s=20)
    assert result.verdict == Verdict.UNKNOWN and "v29" in result.detail


def test_a_wrong_specification_is_not_proved(script) -> None:  # type: ignore[no-untyped-def]
    gf = script.GF128

    def twice(carried: list[Value], data: list[Value], inputs) -> tuple[list[Value], list[Value]]:  # type: ignore[no-untyped-def]
        (y,), out = script.ghash_block(carried, data, inputs)
        return [gf.mul(y, inputs["H"])], out

    result = prove_stream_loop(script.CONTRACT, dataclasses.replace(script.LOOP, step=twice), timeout_s=20)
    assert result.verdict == Verdict.UNKNOWN


def test_a_window_smaller_than_the_lookahead_is_refused(script) -> None:  # type: ignore[no-untyped-def]
    result = prove_stream_loop(script.CONTRACT, dataclasses.replace(script.LOOP, window=3), timeout_s=20)
    assert result.verdict in (Verdict.ERROR, Verdict.UNKNOWN)
    assert "ahead" in result.detail
