"""Low-weight evaluation of GF(2) obligations (lnsym.prove.lowdegree): proofs agree with Z3 and with exhaustive
evaluation, wrong products and high-degree differences are never proved, arithmetic is refused."""

from __future__ import annotations

import itertools

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from bitvec import var
from bitvec.term import Term, evaluate, lift
from bitvec.z3backend import to_z3
from lnsym.prove.lowdegree import RDegree, decide, low_weight_points

POLY = 0x11B  # the AES field, FIPS 197 4.2


def _clmul_reduce(a: Term, b: Term, skip: int | None = None) -> Term:
    """a * b in GF(2^8): carry-less product of 16 bits, then reduced from the top bit down."""
    z: Term = lift(a.zext(16), 16) & 0
    for i in range(8):
        if i != skip:
            z = z ^ (a[i].sext(16) & b.zext(16).lsl(i))
    for k in range(15, 7, -1):
        z = z ^ (z[k].sext(16) & (POLY << (k - 8)))
    return z[7:0]


def _shift_and_add(a: Term, b: Term) -> Term:
    """a * b in GF(2^8) the other way: Horner over a's bits, doubling with a conditional reduction."""
    z: Term = a & 0
    for i in range(7, -1, -1):
        z = z.lsl(1) ^ (z[7].sext(8) & (POLY & 0xFF))
        z = z ^ (a[i].sext(8) & b)
    return z


def _z3_equal(x: Term, y: Term) -> bool:
    s = z3.Solver()
    s.add(to_z3(x, {}) != to_z3(y, {}))
    return s.check() == z3.unsat


def test_points_of_low_weight() -> None:
    assert low_weight_points(4, 2) == [(), (0,), (1,), (2,), (3,), (0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]


def test_nested_products_are_proved_as_z3_confirms() -> None:
    x, h = var("x", 8), var("h", 8)
    impl = _clmul_reduce(x, _clmul_reduce(h, h))  # x * h^2
    spec = _shift_and_add(_shift_and_add(x, h), h)  # (x * h) * h
    assert _z3_equal(impl, spec)
    assert RDegree({"h"})(spec) >= 2
    # x affine (9 columns) times the 1 + 8 + 28 points of weight <= 2 in h's 8 bits
    assert decide([(impl, spec)], []) == 9 * 37


def test_a_wrong_product_is_not_proved() -> None:
    x, h = var("x", 8), var("h", 8)
    impl = _clmul_reduce(x, _clmul_reduce(h, h, skip=3))
    spec = _shift_and_add(_shift_and_add(x, h), h)
    assert not _z3_equal(impl, spec)
    assert decide([(impl, spec)], []) is None


def test_a_difference_only_at_full_weight_is_found() -> None:
    h = var("h", 8)
    top = h[0]
    for i in range(1, 8):
        top = top & h[i]  # degree 8: zero on every point of weight <= 7
    assert RDegree({"h"})(top) == 8
    assert decide([(top, lift(0, 1))], []) is None
    assert decide([(top ^ top, lift(0, 1))], []) is not None


def test_arithmetic_is_refused() -> None:
    x, h = var("x", 8), var("h", 8)
    assert decide([(x + h, h + x)], []) is None


_ops = st.sampled_from(["xor", "and", "or", "not", "shl", "rotr"])


@st.composite
def _terms(draw: st.DrawFn, depth: int = 4) -> Term:
    leaves = [var("a", 4), var("b", 4), lift(draw(st.integers(0, 15)), 4)]
    if depth == 0 or draw(st.booleans()):
        return draw(st.sampled_from(leaves))
    op = draw(_ops)
    x = draw(_terms(depth - 1))
    if op == "not":
        return ~x
    if op == "shl":
        return x.lsl(draw(st.integers(1, 3)))
    if op == "rotr":
        return x.ror(draw(st.integers(1, 3)))
    y = draw(_terms(depth - 1))
    return {"xor": x ^ y, "and": x & y, "or": x | y}[op]


@settings(max_examples=200, deadline=None)
@given(_terms(), _terms())
def test_agrees_with_exhaustive_evaluation(x: Term, y: Term) -> None:
    equal = all(
        evaluate(x, {"a": a, "b": b}).val == evaluate(y, {"a": a, "b": b}).val
        for a, b in itertools.product(range(16), repeat=2)
    )
    # 8 input bits: every degree fits the default budget, so the check is complete as well as sound
    assert (decide([(x, y)], []) is not None) == equal


def test_an_or_of_disjoint_bits_counts_as_their_xor() -> None:
    import random

    from bitvec.term import evaluate, postorder
    from lnsym.prove.columns import AFFINE, OTHER, kinds, known_zeros

    x = var("x", 8)
    disjoint = x.lsl(4) | x.lsr(4)  # the two halves swapped: linear in x
    overlapping = x | x.lsl(1)
    degree = RDegree({"x"})
    assert degree(disjoint) == 1 and degree(overlapping) == 2
    k = kinds([disjoint, overlapping], {"x"})
    assert (k[disjoint.serial], k[overlapping.serial]) == (AFFINE, OTHER)
    rng = random.Random(5)
    masked = ((x & 0x3C) | x.extract(1, 0).sext(8).lsr(6)).zext(16).lsl(3)
    for root in (disjoint, overlapping, masked):  # bits said to be 0 are 0
        zeros: dict[int, int] = {}
        for t in postorder(root):
            zeros[t.serial] = known_zeros(t, [zeros[a.serial] for a in t.args])
        for _ in range(50):
            assert evaluate(root, {"x": rng.getrandbits(8)}).val & zeros[root.serial] == 0
    assert zeros[masked.serial] & 0b111 == 0b111 and zeros[masked.serial] >> 11 == 0x1F
