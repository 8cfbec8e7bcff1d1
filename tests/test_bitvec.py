"""The bit-vector interface: concrete values against Python integer arithmetic, terms against
concrete values (constant folding and evaluation), and the Z3 translation against evaluation."""

from __future__ import annotations

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from bitvec import BV, concat, ite, var
from bitvec.concrete import WidthError
from bitvec.term import Term, evaluate, size
from bitvec.z3backend import to_z3

WIDTHS = st.sampled_from([1, 5, 8, 16, 32, 64, 128])


@st.composite
def pairs(draw: st.DrawFn) -> tuple[int, int, int]:
    w = draw(WIDTHS)
    return w, draw(st.integers(0, 2**w - 1)), draw(st.integers(0, 2**w - 1))


def signed(v: int, w: int) -> int:
    return v - (1 << w) if v >> (w - 1) else v


BINARY = {
    "add": (lambda a, b: a + b, lambda a, b, w: a + b),
    "sub": (lambda a, b: a - b, lambda a, b, w: a - b),
    "mul": (lambda a, b: a * b, lambda a, b, w: a * b),
    "and": (lambda a, b: a & b, lambda a, b, w: a & b),
    "or": (lambda a, b: a | b, lambda a, b, w: a | b),
    "xor": (lambda a, b: a ^ b, lambda a, b, w: a ^ b),
    "udiv": (lambda a, b: a.udiv(b), lambda a, b, w: a // b if b else 2**w - 1),
    "urem": (lambda a, b: a.urem(b), lambda a, b, w: a % b if b else a),
    "lsl": (lambda a, b: a.lsl(b), lambda a, b, w: a << b if b < w else 0),
    "lsr": (lambda a, b: a.lsr(b), lambda a, b, w: a >> b),
    "asr": (lambda a, b: a.asr(b), lambda a, b, w: signed(a, w) >> min(b, w)),
    "ror": (lambda a, b: a.ror(b), lambda a, b, w: (a >> (b % w)) | (a << (w - b % w))),
    "ult": (lambda a, b: a.ult(b), lambda a, b, w: int(a < b)),
    "slt": (lambda a, b: a.slt(b), lambda a, b, w: int(signed(a, w) < signed(b, w))),
    "sle": (lambda a, b: a.sle(b), lambda a, b, w: int(signed(a, w) <= signed(b, w))),
    "uge": (lambda a, b: a.uge(b), lambda a, b, w: int(a >= b)),
    "eq": (lambda a, b: a.eq(b), lambda a, b, w: int(a == b)),
}


@settings(max_examples=300)
@given(pairs(), st.sampled_from(sorted(BINARY)))
def test_concrete_matches_python_ints(p: tuple[int, int, int], op: str) -> None:
    w, a, b = p
    ours, ref = BINARY[op]
    result = ours(BV(w, a), BV(w, b))
    expected = ref(a, b, w)
    assert result.val == expected & ((1 << result.width) - 1)


@settings(max_examples=300)
@given(pairs(), st.sampled_from(sorted(BINARY)))
def test_terms_fold_and_evaluate_like_concrete(p: tuple[int, int, int], op: str) -> None:
    w, a, b = p
    fn = BINARY[op][0]
    concrete = fn(BV(w, a), BV(w, b))
    folded = fn(Term("const", w, (), (a,)), BV(w, b))
    assert folded.op == "const" and folded.as_int() == concrete.val
    x, y = var(f"a{w}", w), var(f"b{w}", w)
    term = fn(x, y)
    assert evaluate(term, {f"a{w}": a, f"b{w}": b}) == concrete


@settings(max_examples=150)
@given(pairs(), st.sampled_from(sorted(BINARY)))
def test_z3_translation_agrees_with_evaluation(p: tuple[int, int, int], op: str) -> None:
    w, a, b = p
    x, y = var(f"za{w}", w), var(f"zb{w}", w)
    term = BINARY[op][0](x, y)
    bindings = [(z3.BitVec(f"za{w}", w), z3.BitVecVal(a, w)), (z3.BitVec(f"zb{w}", w), z3.BitVecVal(b, w))]
    expr = z3.substitute(to_z3(term), *bindings)
    assert z3.simplify(expr).as_long() == evaluate(term, {f"za{w}": a, f"zb{w}": b}).val


@settings(max_examples=200)
@given(st.integers(0, 2**64 - 1), st.integers(0, 63), st.integers(0, 63))
def test_slices_extensions_counts(v: int, i: int, j: int) -> None:
    hi, lo = max(i, j), min(i, j)
    x = BV(64, v)
    assert x[hi:lo].val == (v >> lo) & ((1 << (hi - lo + 1)) - 1)
    assert x[i].val == (v >> i) & 1
    small = x[hi:lo]
    assert small.sext(64).val == signed(small.val, small.width) & (2**64 - 1)
    assert x.clz().val == 64 - v.bit_length()
    assert x.popcount().val == bin(v).count("1")
    t = var("s", 64)
    env = {"s": v}
    for term, expected in [
        (t[hi:lo].sext(64), small.sext(64)),
        (t[hi:lo].zext(64), small.zext(64)),
        (t.clz(), x.clz()),
        (t.popcount(), x.popcount()),
        (concat(t[hi:lo], t[63:0]), concat(small, x)),
        (t.ror(BV(64, i)), x.ror(i)),
        (t.ror(var("r", 64)), x.ror(j)),
    ]:
        assert evaluate(term, env | {"r": j}) == expected
        e = z3.simplify(z3.substitute(to_z3(term), (z3.BitVec("s", 64), z3.BitVecVal(v, 64)),
                                      (z3.BitVec("r", 64), z3.BitVecVal(j, 64))))
        assert e.as_long() == expected.val


def test_hash_consing_and_canonical_forms() -> None:
    a, b = var("a", 32), var("b", 32)
    assert (a + b) is (b + a)
    assert (a ^ b) is (b ^ a)
    assert (a ^ a).as_int() == 0 and (a & a) is a and (a | 0) is a
    assert a.ror(3).ror(29) is a
    assert concat(a, b)[31:0] is b and concat(a, b)[63:32] is a
    assert concat(a[31:16], a[15:0]) is a
    assert ite(BV(1, 1), a, b) is a and ite(var("c", 1), a, a) is a
    assert size([(a + b) * (a + b)]) == 4  # a, b, a+b, (a+b)*(a+b): shared subterm counted once


def test_deep_terms_do_not_hit_recursion_limits() -> None:
    t = var("d", 64)
    for i in range(20_000):
        t = (t + i).ror(7) ^ var("d", 64)
    assert evaluate(t, {"d": 5}).width == 64
    assert to_z3(t) is not None
    assert len(repr(t)) < 20_000


def test_width_errors_are_reported() -> None:
    with pytest.raises(WidthError):
        BV(8, 1) + BV(16, 1)
    with pytest.raises(WidthError):
        var("w", 8) + var("v", 16)
    with pytest.raises(WidthError):
        BV(8, 1).extract(8, 0)
    with pytest.raises(TypeError):
        bool(BV(1, 1))
    with pytest.raises(TypeError):
        bool(var("q", 1))


@settings(max_examples=200)
@given(st.integers(0, 255), st.integers(0, 2**16 - 1))
def test_symbolic_rotate_by_wide_amount_is_modulo_width(x: int, n: int) -> None:
    term = var("rx", 8).ror(var("rn", 16))
    assert evaluate(term, {"rx": x, "rn": n}) == BV(8, x).ror(BV(16, n))


def test_concrete_methods_promote_symbolic_operands() -> None:
    n = var("pn", 32)
    for result in (BV(32, 1).lsl(n), BV(32, 1).eq(n), BV(32, 5).udiv(n), BV(8, 1).concat(var("pq", 8))):
        assert isinstance(result, Term)
    with pytest.raises(TypeError):
        BV(8, 1).lsl("three")


def test_ite_condition_must_be_one_bit() -> None:
    with pytest.raises(WidthError):
        ite(var("c8", 8), BV(8, 1), BV(8, 2))
    with pytest.raises(WidthError):
        ite(BV(8, 2), BV(8, 1), BV(8, 2))
