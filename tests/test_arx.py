"""The add-rotate-XOR normal form (lnsym.prove.arx): each rewrite checked exhaustively at 8 bits against
evaluation of the term as written (brute force over every value of one operand, several of the other), that
it fires where it should and not on near-misses, with a planted wrong rewrite caught; and OpenSSL's
ChaCha20_ctr32 (integer and NEON paths) proved by it in seconds."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from bitvec import BV
from bitvec.term import Term, const_term, evaluate, mk, mk_concat, mk_extract, mk_rotr, postorder, var
from lnsym.prove import arx
from lnsym.prove.arx import ArxDecider, ArxNormalizer
from lnsym.prove.normalize import Normalizer

W = 8
X, Y = var("x", W), var("y", W)
OTHERS = (0, 1, 0x5A, 0x80, 0xFF)


def value(t: Term, env: dict[str, int]) -> int:
    """A normal form's value: ``sum`` and ``xorn`` (comparison-only nodes) evaluated here, the rest by bitvec."""
    vals: dict[int, int] = {}
    for n in postorder(t):
        mask = (1 << n.width) - 1
        if n.op == "sum":
            constant, coeffs = n.params
            vals[n.serial] = (constant + sum(c * vals[a.serial] for a, c in zip(n.args, coeffs))) & mask
        elif n.op == "xorn":
            out = 0
            for a in n.args:
                out ^= vals[a.serial]
            vals[n.serial] = out
        elif n.op in ("var", "const"):
            vals[n.serial] = evaluate(n, env).val
        else:
            rebuilt = Term(n.op, n.width, tuple(const_term(BV(a.width, vals[a.serial])) for a in n.args), n.params)
            vals[n.serial] = evaluate(rebuilt, {}).val
    return vals[t.serial]


def mismatches(original: Term, normalize: Callable[[Term], Term] | None = None) -> list[dict[str, int]]:
    """Inputs where the normal form of ``original`` and ``original`` differ: every x, several y."""
    form = (normalize or ArxNormalizer())(original)
    bad = []
    for x in range(1 << W):
        for y in OTHERS:
            env = {"x": x, "y": y}
            if value(form, env) != evaluate(original, env).val:
                bad.append(env)
    return bad


def shl(t: Term, k: int) -> Term:
    return mk("shl", t, const_term(BV(t.width, k)))


def lshr(t: Term, k: int) -> Term:
    return mk("lshr", t, const_term(BV(t.width, k)))


def band(t: Term, m: int) -> Term:
    return mk("and", t, const_term(BV(t.width, m)))


# -- slices of sums ---------------------------------------------------------------------------------------


SUMS = {
    "x + y": X + Y,
    "3x - y + 5": X * 3 - Y + 5,
    "x + (y << 4)": X + shl(Y, 4),
    "zext(x[3:0]) + (y << 4)": mk_concat(const_term(BV(4, 0)), mk_extract(X, 3, 0)) + shl(Y, 4),
    "(x << 2) + (y << 3) + 4": shl(X, 2) + shl(Y, 3) + 4,
}


@pytest.mark.parametrize("name", sorted(SUMS))
def test_every_slice_of_a_sum_keeps_its_value(name: str) -> None:
    s = SUMS[name]
    for hi in range(W):
        for lo in range(hi + 1):
            assert not mismatches(mk_extract(s, hi, lo)), (name, hi, lo)


def test_a_slice_of_a_sum_becomes_a_sum_of_slices_only_without_a_carry_in() -> None:
    n = ArxNormalizer()
    assert n(mk_extract(X + Y, 3, 0)).op == "sum"  # low slices always
    assert n(mk_extract(X + shl(Y, 4), 7, 4)).op == "sum"  # x + (y << 4): bits 7..4 get no carry
    assert n(mk_extract(shl(X, 2) + shl(Y, 3) + 4, 7, 2)).op == "sum"
    for carried in (mk_extract(X + Y, 7, 4), mk_extract(X + shl(Y, 2), 7, 4), mk_extract(X * 3 + shl(Y, 4), 7, 4),
                    mk_extract(X + shl(Y, 4) + 1, 7, 4)):
        assert n(carried).op == "extract", carried  # a carry may cross: left as it is


# -- disjoint merges and rotations --------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(1, W))
@pytest.mark.parametrize("op", ["or", "xor", "add"])
def test_shift_pairs_become_the_rotation(op: str, k: int) -> None:
    """``(x << k) op (x >> (w-k))`` and NEON's USHR + SLI ``((x >> (w-k)) & keep) | (x << k)`` are ``rotr(x, w-k)``."""
    n = ArxNormalizer()
    rotation = n(mk_rotr(X, W - k))
    for pair in (mk(op, shl(X, k), lshr(X, W - k)), mk(op, band(lshr(X, W - k), (1 << k) - 1), shl(X, k))):
        assert n(pair) is rotation, (op, k)
        assert not mismatches(pair)


def test_overlapping_shifts_are_not_merged() -> None:
    n = ArxNormalizer()
    for near in (mk("add", shl(X, 3), lshr(X, 3)), mk("or", shl(X, 4), lshr(Y, 4)), mk("add", shl(X, 1), X)):
        assert n(near).op != "rotr"
        assert not mismatches(near)


@pytest.mark.parametrize("k", range(1, 4))
def test_rotations_of_a_lane_and_byte_shuffles(k: int) -> None:
    """A rotation of a slice (REV32 .8h of one lane; TBL's bytes taken as slices of constant shifts)."""
    v = mk_concat(X, Y) + 0x0301  # a 16-bit "vector" of two 8-bit lanes (a sum: its slices stay slices)
    n = ArxNormalizer()
    for lane in (0, 8):
        swapped = mk_concat(mk_extract(v, lane + k - 1, lane), mk_extract(v, lane + 7, lane + k))
        assert n(swapped) is n(mk_rotr(mk_extract(v, lane + 7, lane), k))
        assert not mismatches(swapped)
    # TBL-style: the low byte of constant right shifts of the vector, concatenated
    nibbles = [mk_extract(lshr(v, 4 * j), 3, 0) for j in range(4)]
    shuffled = mk_concat(nibbles[0], nibbles[3], nibbles[2], nibbles[1])  # v rotated right by 4
    assert n(shuffled) is n(mk_rotr(v, 4))
    assert not mismatches(mk_extract(shuffled, 7, 0)) and not mismatches(mk_extract(shuffled, 15, 8))


@pytest.mark.parametrize("k", range(1, W))
def test_a_rotation_through_a_long_xor_chain_is_the_chain_of_rotations(k: int) -> None:
    atoms = [X + Y, X * 3 + 1, Y + 7, X - Y, mk_rotr(X + 5, 3)]
    chain = atoms[0] ^ atoms[1] ^ atoms[2] ^ atoms[3] ^ atoms[4]
    other_order = atoms[4] ^ (atoms[2] ^ atoms[0]) ^ (atoms[3] ^ atoms[1])
    n = ArxNormalizer()
    spread = mk_rotr(atoms[0], k)
    for a in atoms[1:]:
        spread = spread ^ mk_rotr(a, k)
    assert n(mk_rotr(chain, k)) is n(mk_rotr(other_order, k)) is n(spread)
    assert n(mk_rotr(chain, k)) is Normalizer()(mk_rotr(chain, k))  # the base normal form's (canonical) term
    assert not mismatches(mk_rotr(chain, k)) and not mismatches(mk_extract(~chain, k, 0))


def test_slices_of_shifts_rotations_and_masks_keep_their_value() -> None:
    for t in (lshr(X + Y, 3), shl(X ^ Y, 2), mk_rotr(X + Y, 3), band(X + Y, 0x3C), band(lshr(X, 2), 0x0F)):
        for hi in range(W):
            for lo in range(hi + 1):
                assert not mismatches(mk_extract(t, hi, lo)), (t, hi, lo)


# -- a planted wrong rewrite is caught ---------------------------------------------------------------------


def test_a_planted_wrong_rewrite_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Planted: every sum counted as carry-free (``low_zero`` always true), and a rotation off by one."""
    monkeypatch.setattr(arx, "low_zero", lambda t, bits: True)
    assert mismatches(mk_extract(X + Y, 7, 4))
    monkeypatch.undo()
    assert not mismatches(mk_extract(X + Y, 7, 4))
    real = arx.slice_rotation

    def off_by_one(top: Term, bottom: Term) -> Term | None:
        r = real(top, bottom)
        return mk_rotr(r.args[0], r.params[0] + 1) if r is not None and r.op == "rotr" else r

    monkeypatch.setattr(arx, "slice_rotation", off_by_one)
    v = mk_concat(X, Y) + 0x0301
    assert mismatches(mk_concat(mk_extract(v, 10, 8), mk_extract(v, 15, 11)))


def test_the_decider_applies_only_to_add_and_rotate_claims() -> None:
    d = ArxDecider()
    assert not d.applies(X ^ Y, Y ^ X)  # no addition: left to the GF(2) procedures
    assert d(mk_rotr(X + Y, 3), mk_concat(mk_extract(Y + X, 2, 0), mk_extract(X + Y, 7, 3)))
    assert not d(mk_rotr(X + Y, 3), mk_rotr(X + Y, 4))


# -- OpenSSL's ChaCha20_ctr32 ----------------------------------------------------------------------------------


def test_openssl_chacha20_integer_and_neon_paths_are_proved_in_seconds() -> None:
    from openssl_fixture import libcrypto

    from lnsym.contracts.openssl import contract
    from lnsym.prove.prover import verify

    for name in ("ChaCha20_ctr32[int,1]", "ChaCha20_ctr32[neon,4]"):
        c = contract(name, str(libcrypto()))
        start = time.perf_counter()
        result = verify(c, timeout_s=60)
        assert result.verdict == "proved", result.detail
        assert {o.method for o in result.obligations if o.name.startswith("out")} == {"arx-normal-form"}
        print(f"\n{name}: proved in {time.perf_counter() - start:.2f}s")


def test_a_branch_witness_is_only_claimed_when_it_checks() -> None:
    """Solver.witnessed (a branch the solver timed out on, decided by a concrete assignment): small conditions
    from a model, the rest random; never True for conditions no assignment meets."""
    from lnsym.symbolic.state import Solver

    s = Solver()
    big = mk_rotr(X + Y, 3) ^ (X * 5)
    assert s.witnessed([mk("ule", var("p", W), const_term(BV(W, 16))), big.eq(big)])
    assert s.witnessed([(big & 1).eq(1)]) and s.witnessed([(big & 1).eq(0)])
    assert not s.witnessed([X.eq(1), X.eq(2)])
    assert not s.witnessed([(big ^ big ^ X).eq(X + 1)])
