"""Soundness of the term layer: every constant fold and rewrite equals the concrete semantics.

The reference below is written from the definitions (SMT-LIB 2 ``QF_BV`` theory and the Arm ARM's
shared pseudocode: ``LSL``/``LSR``/``ASR``/``ROR``, ``CountLeadingZeroBits``, ``BitCount``,
``SignExtend``) over plain Python ints, bit by bit where that is the definition -- it shares no
code with :class:`bitvec.concrete.BV`.  Three families of checks:

* exhaustive, widths 1..4: every operator of ``bitvec.operators.CONCRETE`` and every ``Term`` method,
  (a) folded from constants, (b) built over variables (some arguments constant, or one variable used
  twice) and evaluated on every assignment, (c) computed by ``BV``;
* the identities of ``_simplify`` and the shortcuts of ``mk_extract``/``mk_concat``/``mk_rotr`` with
  symbolic arguments, on every assignment;
* a seeded random differential over small DAGs at widths 1..8, 16, 32, 64 against ``evaluate``, the
  Python compiler, Z3, the SMT-LIB writer (parsed back by Z3), ``lnsym.prove.normalize`` and ``lnsym.prove.anf``;
  planted wrong rewrites show that it fails when a fold is wrong;

and end to end: ``lnsym.prove.prover.verify`` refutes (never proves) false claims whose spec shifts by the
width or more (issue 21: ``x.asr(32)`` was folded to 0).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import z3

import bitvec.term as term_module
from bitvec import BV, ite, lookup, replicate
from bitvec.operators import CONCRETE
from bitvec.pycompile import emit, reference, sdiv
from bitvec.smtlib import declarations_and_definitions, literal
from bitvec.term import Term, const_term, evaluate, mk, mk_concat, mk_extract, mk_rotr, postorder, var
from bitvec.z3backend import to_z3
from lnsym.prove.anf import ANF
from lnsym.prove.normalize import Normalizer

# ---------------------------------------------------------------------------------------------
# the reference semantics: plain ints, from the SMT-LIB / Arm definitions


def _mask(w: int) -> int:
    return (1 << w) - 1


def _bit(v: int, i: int) -> int:
    return v >> i & 1


def _from_bits(bits: list[int]) -> int:
    """An int from its bits, least significant first."""
    return sum(b << i for i, b in enumerate(bits))


def _signed(v: int, w: int) -> int:
    return v - (1 << w) if _bit(v, w - 1) else v


def r_not(a: int, w: int) -> int:
    return _from_bits([1 - _bit(a, i) for i in range(w)])


def r_neg(a: int, w: int) -> int:
    return (r_not(a, w) + 1) % (1 << w)  # bvneg: two's complement


def r_udiv(a: int, b: int, w: int) -> int:
    return _mask(w) if b == 0 else a // b  # SMT-LIB: x / 0 is all ones


def r_urem(a: int, b: int, w: int) -> int:
    return a if b == 0 else a % b  # SMT-LIB: x % 0 is x


def r_sdiv(s: int, t: int, w: int) -> int:
    """``bvsdiv`` exactly as the SMT-LIB QF_BV logic defines it (by the two sign bits)."""
    ms, mt = _bit(s, w - 1), _bit(t, w - 1)
    if not ms and not mt:
        return r_udiv(s, t, w)
    if ms and not mt:
        return r_neg(r_udiv(r_neg(s, w), t, w), w)
    if not ms and mt:
        return r_neg(r_udiv(s, r_neg(t, w), w), w)
    return r_udiv(r_neg(s, w), r_neg(t, w), w)


def r_shl(a: int, n: int, w: int) -> int:
    """``bvshl``/Arm ``LSL``: result bit i is bit i-n of a (0 below n and for n >= w)."""
    return _from_bits([_bit(a, i - n) if i >= n else 0 for i in range(w)])


def r_lshr(a: int, n: int, w: int) -> int:
    """``bvlshr``/Arm ``LSR``: result bit i is bit i+n of a, 0 from the top."""
    return _from_bits([_bit(a, i + n) if i + n < w else 0 for i in range(w)])


def r_ashr(a: int, n: int, w: int) -> int:
    """``bvashr``: ``ite(msb(s) = 0, bvlshr(s, t), bvnot(bvlshr(bvnot(s), t)))`` (Arm ``ASR`` agrees)."""
    if _bit(a, w - 1) == 0:
        return r_lshr(a, n, w)
    return r_not(r_lshr(r_not(a, w), n, w), w)


def r_ror(a: int, n: int, w: int) -> int:
    """Arm ``ROR``: result bit i is bit (i + n) mod w."""
    return _from_bits([_bit(a, (i + n) % w) for i in range(w)])


def r_sext(a: int, w: int, to: int) -> int:
    return _from_bits([_bit(a, min(i, w - 1)) for i in range(to)])


def r_clz(a: int, w: int) -> int:
    """Arm ``CountLeadingZeroBits``: N - (HighestSetBit(x) + 1)."""
    highest = max((i for i in range(w) if _bit(a, i)), default=-1)
    return w - (highest + 1)


def r_popcount(a: int, w: int) -> int:
    return sum(_bit(a, i) for i in range(w))  # Arm BitCount


def r_binary(op: str, a: int, b: int, w: int) -> int:
    """The same-width binary operators (comparisons give 0/1)."""
    if op == "add":
        return (a + b) % (1 << w)
    if op == "sub":
        return (a + r_neg(b, w)) % (1 << w)
    if op == "mul":
        return (a * b) % (1 << w)
    if op in ("and", "or", "xor"):
        f = {"and": lambda x, y: x & y, "or": lambda x, y: x | y, "xor": lambda x, y: x ^ y}[op]
        return _from_bits([f(_bit(a, i), _bit(b, i)) for i in range(w)])
    if op == "udiv":
        return r_udiv(a, b, w)
    if op == "urem":
        return r_urem(a, b, w)
    if op == "sdiv":
        return r_sdiv(a, b, w)
    if op == "shl":
        return r_shl(a, b, w)
    if op == "lshr":
        return r_lshr(a, b, w)
    if op == "ashr":
        return r_ashr(a, b, w)
    sa, sb = _signed(a, w), _signed(b, w)
    table = {"eq": a == b, "ne": a != b, "ult": a < b, "ule": a <= b, "ugt": a > b, "uge": a >= b,
             "slt": sa < sb, "sle": sa <= sb, "sgt": sa > sb, "sge": sa >= sb}
    return int(table[op])


def r_node(op: str, w: int, vals: list[int], widths: list[int], params: tuple[Any, ...]) -> int:
    """The reference value of a term node ``op`` of width ``w`` (the operators of ``CONCRETE``)."""
    if op in ("not", "neg", "clz", "popcount"):
        return {"not": r_not, "neg": r_neg, "clz": r_clz, "popcount": r_popcount}[op](vals[0], w)
    if op == "rotr":
        return r_ror(vals[0], params[0], w)
    if op == "extract":
        hi, lo = params
        return _from_bits([_bit(vals[0], i) for i in range(lo, hi + 1)])
    if op == "sext":
        return r_sext(vals[0], widths[0], w)
    if op == "concat":
        out = 0
        for v, vw in zip(vals, widths):
            out = out << vw | v
        return out
    if op == "ite":
        return vals[1] if vals[0] else vals[2]
    if op == "lut":
        return params[0][vals[0]] % (1 << w)
    return r_binary(op, vals[0], vals[1], widths[0])


# ---------------------------------------------------------------------------------------------
# exhaustive checks at small widths

_BINARY = ("add", "sub", "mul", "and", "or", "xor", "udiv", "urem", "sdiv",
           "eq", "ne", "ult", "ule", "ugt", "uge", "slt", "sle", "sgt", "sge")
_OPERATOR = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
             "and": lambda a, b: a & b, "or": lambda a, b: a | b, "xor": lambda a, b: a ^ b}
_SHIFTS = {"lsl": r_shl, "lsr": r_lshr, "asr": r_ashr, "ror": r_ror}


@dataclass(frozen=True)
class Case:
    """One operation: ``build`` works on BVs and on terms alike; ``ref`` maps the argument ints to the result."""

    name: str
    widths: tuple[int, ...]
    out: int
    build: Callable[..., Any]
    ref: Callable[..., int]
    ops: tuple[str, ...] = ()  # CONCRETE operators this case makes (for the coverage check)


def _binary_build(op: str) -> Callable[..., Any]:
    if op in _OPERATOR:
        return _OPERATOR[op]
    return lambda a, b: getattr(a, op)(b)


def _ite_build(c: Any, a: Any, b: Any) -> Any:
    return mk("ite", c, a, b) if isinstance(c, Term) else ite(c, a, b)


def small_cases(w: int, wider: int = 3) -> Iterator[Case]:
    """Every operator and method at value width ``w`` (bit-vector shift amounts up to ``w + wider`` bits)."""
    node_op = {"ne": "eq", "ugt": "ult", "uge": "ule", "sgt": "slt", "sge": "sle"}
    for op in _BINARY:
        out = 1 if op in ("eq", "ne", "ult", "ule", "ugt", "uge", "slt", "sle", "sgt", "sge") else w
        yield Case(op, (w, w), out, _binary_build(op), lambda a, b, op=op: r_binary(op, a, b, w),
                   (node_op.get(op, op),))
    yield Case("not", (w,), w, lambda a: ~a, lambda a: r_not(a, w), ("not",))
    yield Case("neg", (w,), w, lambda a: -a, lambda a: r_neg(a, w), ("neg",))
    yield Case("clz", (w,), w, lambda a: a.clz(), lambda a: r_clz(a, w), ("clz",))
    yield Case("popcount", (w,), w, lambda a: a.popcount(), lambda a: r_popcount(a, w), ("popcount",))
    for c in {0, 1, _mask(w), 1 << (w - 1)}:  # a Python int as the other operand, either side
        yield Case(f"add{c}", (w,), w, lambda a, c=c: a + c, lambda a, c=c: r_binary("add", a, c, w))
        yield Case(f"{c}sub", (w,), w, lambda a, c=c: c - a, lambda a, c=c: r_binary("sub", c, a, w))
        yield Case(f"sub{c}", (w,), w, lambda a, c=c: a - c, lambda a, c=c: r_binary("sub", a, c, w))
        yield Case(f"and{c}", (w,), w, lambda a, c=c: c & a, lambda a, c=c: r_binary("and", c, a, w))
    # shifts and rotations by int amounts 0 .. 2w+1 (issue 21: amounts >= width)
    for name, ref in _SHIFTS.items():
        op = {"lsl": "shl", "lsr": "lshr", "asr": "ashr", "ror": "rotr"}[name]
        for n in range(2 * w + 2):
            yield Case(f"{name}#{n}", (w,), w, lambda a, name=name, n=n: getattr(a, name)(n),
                       lambda a, ref=ref, n=n: ref(a, n, w), (op,))
        # by a bit-vector amount of any width, narrower or wider than the value
        for wb in range(1, w + wider + 1):
            ops = ("rotr",) if name == "ror" else (op, "ite", "extract", "concat")
            yield Case(f"{name}@{wb}", (w, wb), w, lambda a, b, name=name: getattr(a, name)(b),
                       lambda a, b, ref=ref: ref(a, b, w), ops)
    for hi in range(w):
        for lo in range(hi + 1):
            yield Case(f"extract{hi}:{lo}", (w,), hi - lo + 1, lambda a, hi=hi, lo=lo: a.extract(hi, lo),
                       lambda a, hi=hi, lo=lo: (a >> lo) % (1 << (hi - lo + 1)), ("extract",))
            yield Case(f"getitem{hi}:{lo}", (w,), hi - lo + 1, lambda a, hi=hi, lo=lo: a[hi:lo],
                       lambda a, hi=hi, lo=lo: _from_bits([_bit(a, i) for i in range(lo, hi + 1)]))
    for to in range(w, w + 4):
        yield Case(f"zext{to}", (w,), to, lambda a, to=to: a.zext(to), lambda a: a, ("concat",))
        yield Case(f"sext{to}", (w,), to, lambda a, to=to: a.sext(to), lambda a, to=to: r_sext(a, w, to), ("sext",))
    for w2 in range(1, 4):
        yield Case(f"concat{w2}", (w, w2), w + w2, lambda a, b: a.concat(b), lambda a, b, w2=w2: a << w2 | b,
                   ("concat",))
    if w <= 3:
        yield Case("concat3", (w, 1, w), 2 * w + 1, lambda a, b, c: a.concat(b, c),
                   lambda a, b, c: (a << 1 | b) << w | c, ("concat",))
        yield Case("replicate3", (w,), 3 * w, lambda a: replicate(a, 3), lambda a: (a << 2 * w) | (a << w) | a)
    yield Case("ite", (1, w, w), w, _ite_build, lambda c, a, b: a if c else b, ("ite",))
    rng = random.Random(w)
    for out in (1, 3, 5):
        table = tuple(rng.getrandbits(out) for _ in range(1 << w))
        yield Case(f"lut{out}", (w,), out, lambda a, t=table, o=out: lookup(t, a, o), lambda a, t=table: t[a], ("lut",))


def _names(widths: tuple[int, ...]) -> list[str]:
    return [f"e{i}_{wi}" for i, wi in enumerate(widths)]


def _check_value(got: Any, case: Case, args: tuple[int, ...], kind: str, expected: int) -> None:
    assert got.width == case.out, (case.name, kind, args, got)
    value = got.val if type(got) is BV else got.as_int()
    assert value == expected, f"{case.name} {kind} on {args}: got {value:#x}, reference {expected:#x}"


def check_case(case: Case) -> int:
    """(a) constant folding, (b) symbolic build + evaluate (all variable / one argument constant / one
    variable repeated), (c) BV, each against the reference on every assignment; the number of checks."""
    names = _names(case.widths)
    symbolic = case.build(*[var(n, wi) for n, wi in zip(names, case.widths)])
    assert isinstance(symbolic, Term)
    checks = 0
    for args in itertools.product(*[range(1 << wi) for wi in case.widths]):
        expected = case.ref(*args)
        got_bv = case.build(*[BV(wi, v) for wi, v in zip(case.widths, args)])
        assert type(got_bv) is BV, (case.name, got_bv)
        _check_value(got_bv, case, args, "BV", expected)
        got_const = case.build(*[const_term(BV(wi, v)) for wi, v in zip(case.widths, args)])
        assert isinstance(got_const, Term) and got_const.op == "const", (case.name, "fold", args, got_const)
        _check_value(got_const, case, args, "fold", expected)
        _check_value(evaluate(symbolic, dict(zip(names, args))), case, args, "symbolic", expected)
        checks += 3
    if len(case.widths) > 1:  # one argument constant, the others variables
        for p, wp in enumerate(case.widths):
            for c in range(1 << wp):
                built = case.build(*[const_term(BV(wi, c)) if i == p else var(n, wi)
                                     for i, (n, wi) in enumerate(zip(names, case.widths))])
                rest = [range(1 << wi) if i != p else (c,) for i, wi in enumerate(case.widths)]
                for args in itertools.product(*rest):
                    _check_value(evaluate(built, dict(zip(names, args))), case, args, f"const arg {p}",
                                 case.ref(*args))
                    checks += 1
        if len(set(case.widths)) == 1:  # the same variable everywhere (x - x, x & x, x.eq(x) ...)
            same = case.build(*[var(names[0], case.widths[0])] * len(case.widths))
            for v in range(1 << case.widths[0]):
                _check_value(evaluate(same, {names[0]: v}), case, (v,) * len(case.widths), "same variable",
                             case.ref(*[v] * len(case.widths)))
                checks += 1
    return checks


@pytest.mark.parametrize("w", [1, 2, 3, 4, 5])
def test_every_operator_and_method_exhaustively(w: int) -> None:
    total = sum(check_case(case) for case in small_cases(w, wider=3 if w < 5 else 1))
    assert total >= {1: 2000, 2: 7900, 3: 30_000, 4: 110_000, 5: 200_000}[w], total


def test_the_exhaustive_cases_cover_every_concrete_operator() -> None:
    covered = {op for w in (1, 2) for case in small_cases(w) for op in case.ops}
    assert set(CONCRETE) <= covered, set(CONCRETE) - covered


def test_concrete_table_equals_the_reference_directly() -> None:
    """``CONCRETE`` itself (what ``evaluate`` and every fold run) on every input at widths 1..3."""
    checks = 0
    for w in (1, 2, 3):
        for op in ("add", "sub", "mul", "and", "or", "xor", "udiv", "urem", "sdiv", "shl", "lshr", "ashr",
                   "eq", "ult", "ule", "slt", "sle"):
            out = 1 if op in ("eq", "ult", "ule", "slt", "sle") else w
            for a, b in itertools.product(range(1 << w), repeat=2):
                got = CONCRETE[op]([BV(w, a), BV(w, b)], (), out)
                assert got == BV(out, r_node(op, out, [a, b], [w, w], ())), (op, w, a, b, got)
                checks += 1
        for a in range(1 << w):
            for op, params, out in [("not", (), w), ("neg", (), w), ("clz", (), w), ("popcount", (), w),
                                    *[("rotr", (k,), w) for k in range(w)], ("sext", (), w + 2),
                                    *[("extract", (hi, lo), hi - lo + 1) for hi in range(w) for lo in range(hi + 1)],
                                    ("lut", (tuple((3 * i + 1) % 8 for i in range(1 << w)),), 3)]:
                got = CONCRETE[op]([BV(w, a)], params, out)
                assert got == BV(out, r_node(op, out, [a], [w], params)), (op, params, w, a, got)
                checks += 1
            for c, b in itertools.product((0, 1), range(1 << w)):
                got = CONCRETE["ite"]([BV(1, c), BV(w, a), BV(w, b)], (), w)
                assert got == BV(w, a if c else b)
                got = CONCRETE["concat"]([BV(w, a), BV(1, c), BV(w, b)], (), 2 * w + 1)
                assert got == BV(2 * w + 1, r_node("concat", 2 * w + 1, [a, c, b], [w, 1, w], ()))
                checks += 2
    assert checks > 900


def test_shift_by_a_concrete_amount_on_a_symbolic_value_and_back() -> None:
    """``Term.lsl(BV)`` and ``BV.lsl(Term)``: the mixed forms, amounts narrower and wider than the value."""
    for w in (1, 2, 3, 4):
        x = var(f"sx{w}", w)
        for name, ref in _SHIFTS.items():
            for wb in range(1, w + 4):
                n = var(f"sn{wb}", wb)
                for amount in range(1 << wb):
                    built = getattr(x, name)(BV(wb, amount))
                    for v in range(1 << w):
                        assert evaluate(built, {f"sx{w}": v}).val == ref(v, amount, w), (name, w, wb, amount, v)
                for v in range(1 << w):
                    built = getattr(BV(w, v), name)(n)
                    assert isinstance(built, Term)
                    for amount in range(1 << wb):
                        assert evaluate(built, {f"sn{wb}": amount}).val == ref(v, amount, w), (name, w, v, amount)


def test_negative_amounts_are_refused_alike() -> None:
    x = var("neg_x", 8)
    for name in ("lsl", "lsr", "asr", "ror"):
        for value in (x, BV(8, 5), const_term(BV(8, 5))):
            with pytest.raises(ValueError, match="negative"):
                getattr(value, name)(-1)


# ---------------------------------------------------------------------------------------------
# the identities of _simplify and the structural shortcuts, with symbolic arguments


def _identities(w: int) -> Iterator[tuple[str, Term, Callable[[dict[str, int]], int], str | None]]:
    """(name, built term, reference on an environment, operator the rewrite must leave at the root)."""
    x, y, b = var(f"ix{w}", w), var(f"iy{w}", w), var("ib", 1)
    ones, sign = _mask(w), 1 << (w - 1)
    X, Y, B = f"ix{w}", f"iy{w}", "ib"
    yield "x & 0", x & 0, lambda e: 0, "const"
    yield "0 & x", BV(w, 0) & x, lambda e: 0, "const"
    yield "x & ones", x & ones, lambda e: e[X], "var"
    yield "x | ones", x | ones, lambda e: ones, "const"
    yield "x | 0", x | 0, lambda e: e[X], "var"
    yield "x ^ 0", 0 ^ x, lambda e: e[X], "var"
    yield "x + 0", x + 0, lambda e: e[X], "var"
    yield "x - 0", x - 0, lambda e: e[X], "var"
    yield "0 - x", 0 - x, lambda e: r_neg(e[X], w), None
    yield "x * 1", 1 * x, lambda e: e[X], "var"
    yield "x * 0", x * 0, lambda e: 0, "const"
    yield "x & x", x & x, lambda e: e[X], "var"
    yield "x | x", x | x, lambda e: e[X], "var"
    yield "x ^ x", x ^ x, lambda e: 0, "const"
    yield "x - x", x - x, lambda e: 0, "const"
    yield "x == x", x.eq(x), lambda e: 1, "const"
    yield "x != x", x.ne(x), lambda e: 0, "const"
    yield "~~x", ~~x, lambda e: e[X], "var"
    yield "ite(b, x, x)", ite(b, x, x), lambda e: e[X], "var"
    yield "ite(1, x, y)", mk("ite", BV(1, 1), x, y), lambda e: e[X], "var"
    yield "ite(0, x, y)", mk("ite", BV(1, 0), x, y), lambda e: e[Y], "var"
    for name in ("lsl", "lsr", "asr", "ror"):
        yield f"x.{name}(0)", getattr(x, name)(0), lambda e: e[X], "var"
        yield f"x.{name}(0:{w})", getattr(x, name)(BV(w, 0)), lambda e: e[X], "var"
        yield f"x.{name}(w)", getattr(x, name)(w), lambda e, r=_SHIFTS[name]: r(e[X], w, w), None
    yield "x.asr(big)", x.asr(5 * w + 3), lambda e: r_ashr(e[X], 5 * w + 3, w), None
    yield "0 - zext(bit)", 0 - b.zext(w), lambda e: ones * e[B], "sext" if w > 1 else None
    yield "zext(bit) * ones", b.zext(w) * ones, lambda e: ones * e[B], None
    for c1 in sorted({0, 1, ones, sign, 3 % (1 << w)}):
        for c2 in sorted({0, 1, ones, sign}):
            expected = lambda e, c1=c1, c2=c2: (e[X] + c1 + c2) % (1 << w)  # noqa: E731
            yield f"(x + {c1}) + {c2}", (x + c1) + c2, expected, None
            yield f"({c1} + x) + {c2}", (BV(w, c1) + x) + c2, expected, None
            yield f"{c2} + (x + {c1})", BV(w, c2) + (x + c1), expected, None
            yield f"(x + {c1}) + ({c2} + y)", (x + c1) + (c2 + y), lambda e, c1=c1, c2=c2: (
                e[X] + e[Y] + c1 + c2) % (1 << w), None
        yield f"x - {c1} + {c1}", (x - c1) + c1, lambda e: e[X], None
    for k1 in range(2 * w + 1):
        for k2 in range(2 * w + 1):
            yield f"ror(ror(x,{k1}),{k2})", x.ror(k1).ror(k2), lambda e, k=k1 + k2: r_ror(e[X], k, w), None
        yield f"mk_rotr(x, {k1})", mk_rotr(x, k1), lambda e, k=k1: r_ror(e[X], k, w), None
    xy = x.concat(y)
    for hi in range(2 * w):
        for lo in range(hi + 1):
            ref = lambda e, hi=hi, lo=lo: (e[X] << w | e[Y]) >> lo & _mask(hi - lo + 1)  # noqa: E731
            yield f"concat[{hi}:{lo}]", xy.extract(hi, lo), ref, None
            yield f"zext[{hi}:{lo}]", x.zext(2 * w).extract(hi, lo), lambda e, hi=hi, lo=lo: (
                e[X] >> lo & _mask(hi - lo + 1)), None
            inner = xy.extract(hi, lo)
            for h2 in range(inner.width):
                for l2 in range(h2 + 1):
                    yield f"[{hi}:{lo}][{h2}:{l2}]", mk_extract(inner, h2, l2), lambda e, hi=hi, lo=lo, h2=h2, l2=l2: (
                        (e[X] << w | e[Y]) >> lo >> l2 & _mask(h2 - l2 + 1)), None
    for cut in range(1, w):  # adjacent slices of one value merge back
        yield f"x[{w - 1}:{cut}] : x[{cut - 1}:0]", mk_concat(x[w - 1:cut], x[cut - 1:0]), lambda e: e[X], "var"
        yield f"x[{cut - 1}:0] : x[{w - 1}:{cut}]", mk_concat(x[cut - 1:0], x[w - 1:cut]), lambda e, c=cut: (
            r_ror(e[X], c, w)), None
    yield "const : const : x", mk_concat(const_term(BV(2, 2)), const_term(BV(3, 5)), x), lambda e: (
        (2 << 3 | 5) << w | e[X]), None
    yield "sext(sext(x))", x.sext(w + 1).sext(w + 3), lambda e: r_sext(e[X], w, w + 3), None


@pytest.mark.parametrize("w", [1, 2, 3, 4])
def test_simplify_identities_on_every_assignment(w: int) -> None:
    checks = 0
    for name, built, expected, root_op in _identities(w):
        if root_op is not None:  # the rewrite fired (otherwise this would not test it)
            assert built.op == root_op, (name, w, built)
        names = term_module.variables(built)
        for values in itertools.product(*[range(1 << wi) for wi in names.values()]):
            env = dict(zip(names, values))
            full = {f"ix{w}": 0, f"iy{w}": 0, "ib": 0, **env}
            got = evaluate(built, env).val
            assert got == expected(full), f"{name} at width {w}: {env} -> {got:#x}, reference {expected(full):#x}"
            checks += 1
    assert checks > 100


# ---------------------------------------------------------------------------------------------
# the random differential: terms against evaluate, the Python compiler, Z3, SMT-LIB, the normalizer
# and the GF(2) engine

DIFF_WIDTHS = (1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 64)
_GF2_OPS = ("xor", "and", "not", "shift", "extract", "concat", "or")


@dataclass(eq=False)
class Node:
    """A generated expression: the term built through the public API and what the reference needs."""

    op: str
    width: int
    kids: tuple[Node, ...]
    params: tuple[Any, ...]
    term: Term


class DagGenerator:
    """Random small DAGs mixing every operator; each node also knows how to evaluate itself by the
    reference semantics, independently of the term it built."""

    def __init__(self, rng: random.Random, gf2_only: bool = False) -> None:
        self.rng = rng
        self.gf2_only = gf2_only
        self.pool: dict[int, list[Node]] = {}
        self.nodes: list[Node] = []

    def _add(self, node: Node) -> Node:
        self.pool.setdefault(node.width, []).append(node)
        self.nodes.append(node)
        return node

    def leaf_var(self, w: int, k: int) -> Node:
        name = f"v{k}_{w}"
        return self._add(Node("var", w, (), (name,), var(name, w)))

    def special(self, w: int) -> int:
        r = self.rng
        return r.choice([0, 1, _mask(w), 1 << (w - 1), _mask(w - 1), w, w - 1, r.getrandbits(w), r.getrandbits(3)]) \
            % (1 << w)

    def leaf_const(self, w: int) -> Node:
        v = self.special(w)
        return self._add(Node("const", w, (), (v,), const_term(BV(w, v))))

    def pick(self, w: int) -> Node:
        """A node of width ``w``, recent ones preferred (depth), sometimes a fresh constant."""
        nodes = self.pool.get(w)
        if not nodes or self.rng.random() < 0.12:
            return self.leaf_const(w) if nodes or self.rng.random() < 0.5 else self.leaf_var(w, 9)
        return nodes[-1 - min(int(self.rng.expovariate(0.5)), len(nodes) - 1)]

    def any_node(self) -> Node:
        return self.pick(self.rng.choice(list(self.pool)))

    def step(self, w: int) -> Node | None:
        """One new node over existing ones (its width may differ from ``w``)."""
        r = self.rng
        ops = _GF2_OPS if self.gf2_only else (
            "add", "sub", "mul", "and", "or", "xor", "udiv", "urem", "sdiv", "not", "neg", "clz", "popcount",
            "shift", "shift_term", "extract", "zext", "sext", "concat", "compare", "ite", "lut", "intop",
            "neg_bit", "add_const_chain", "replicate")
        op = r.choice(ops)
        x = self.pick(w)
        if op in ("add", "sub", "mul", "and", "or", "xor", "udiv", "urem", "sdiv"):
            y = self.pick(w)
            t = {"udiv": x.term.udiv, "urem": x.term.urem, "sdiv": x.term.sdiv}.get(op)
            built = t(y.term) if t else _OPERATOR[op](x.term, y.term)
            return self._add(Node(op, w, (x, y), (), built))
        if op in ("not", "neg"):
            return self._add(Node(op, w, (x,), (), ~x.term if op == "not" else -x.term))
        if op in ("clz", "popcount"):
            return self._add(Node(op, w, (x,), (), getattr(x.term, op)()))
        if op == "shift":
            name = r.choice(["lsl", "lsr", "asr", "ror"])
            n = r.choice([0, 1, w - 1, w, w + 1, 2 * w, r.randrange(0, 2 * w + 2)])
            return self._add(Node(name, w, (x,), (n,), getattr(x.term, name)(n)))
        if op == "shift_term":
            name = r.choice(["lsl", "lsr", "asr", "ror"])
            amount = self.any_node()
            return self._add(Node(name + "_t", w, (x, amount), (), getattr(x.term, name)(amount.term)))
        if op == "extract":
            hi = r.randrange(w)
            lo = r.randrange(hi + 1)
            return self._add(Node("extract", hi - lo + 1, (x,), (hi, lo), x.term.extract(hi, lo)))
        if op in ("zext", "sext"):
            to = r.choice([v for v in DIFF_WIDTHS if v >= w])
            return self._add(Node(op, to, (x,), (), getattr(x.term, op)(to)))
        if op == "concat":
            y = self.any_node()
            if x.width + y.width > 64:
                return None
            return self._add(Node("concat", x.width + y.width, (x, y), (), x.term.concat(y.term)))
        if op == "compare":
            y = self.pick(w)
            name = r.choice(["eq", "ne", "ult", "ule", "ugt", "uge", "slt", "sle", "sgt", "sge"])
            return self._add(Node(name, 1, (x, y), (), getattr(x.term, name)(y.term)))
        if op == "ite":
            c, y = self.pick(1), self.pick(w)
            return self._add(Node("ite", w, (c, x, y), (), ite(c.term, x.term, y.term)))
        if op == "lut":
            index = self.pick(r.randrange(1, 7))
            out = r.choice([1, 3, 8, 16])
            table = tuple(r.getrandbits(out) for _ in range(1 << index.width))
            return self._add(Node("lut", out, (index,), (table,), lookup(table, index.term, out)))
        if op == "intop":
            c = self.special(w)
            form = r.choice(["x+c", "c-x", "x-c", "x&c", "c|x", "x^c", "x*c"])
            built = {"x+c": lambda: x.term + c, "c-x": lambda: c - x.term, "x-c": lambda: x.term - c,
                     "x&c": lambda: x.term & c, "c|x": lambda: c | x.term, "x^c": lambda: x.term ^ c,
                     "x*c": lambda: x.term * c}[form]()
            return self._add(Node(form, w, (x,), (c,), built))
        if op == "neg_bit":  # 0 - ZeroExtend(bit): the Replicate rewrite
            bit = self.pick(1)
            return self._add(Node("0-zext", w, (bit,), (), 0 - bit.term.zext(w)))
        if op == "add_const_chain":
            c1, c2 = self.special(w), self.special(w)
            return self._add(Node("x+c1+c2", w, (x,), (c1, c2), (x.term + c1) + c2))
        count = r.randrange(1, 4)
        if w * count > 64:
            return None
        return self._add(Node("replicate", w * count, (x,), (count,), replicate(x.term, count)))

    def value(self, node: Node, env: dict[str, int], memo: dict[int, int]) -> int:
        """The reference value of ``node`` (iterative over the DAG)."""
        stack = [node]
        while stack:
            n = stack[-1]
            if id(n) in memo:
                stack.pop()
                continue
            missing = [k for k in n.kids if id(k) not in memo]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            memo[id(n)] = self._value(n, [memo[id(k)] for k in n.kids], env)
        return memo[id(node)]

    @staticmethod
    def _value(n: Node, a: list[int], env: dict[str, int]) -> int:
        w, p, op = n.width, n.params, n.op
        if op == "var":
            return env[p[0]]
        if op == "const":
            return p[0]
        if op in ("lsl", "lsr", "asr", "ror"):
            return _SHIFTS[op](a[0], p[0], w)
        if op.endswith("_t"):
            return _SHIFTS[op[:-2]](a[0], a[1], w)
        kid_widths = [k.width for k in n.kids]
        if op in ("add", "sub", "mul", "and", "or", "xor", "udiv", "urem", "sdiv",
                  "eq", "ne", "ult", "ule", "ugt", "uge", "slt", "sle", "sgt", "sge"):
            return r_binary(op, a[0], a[1], kid_widths[0])
        if op == "zext":
            return a[0]
        if op == "sext":
            return r_sext(a[0], kid_widths[0], w)
        if op in ("x+c", "x-c", "x&c", "x^c", "x*c", "c|x", "c-x"):
            name = {"+": "add", "-": "sub", "&": "and", "^": "xor", "*": "mul", "|": "or"}[op[1]]
            return r_binary(name, a[0], p[0], w) if op[0] == "x" else r_binary(name, p[0], a[0], w)
        if op == "0-zext":
            return r_binary("sub", 0, a[0], w)
        if op == "x+c1+c2":
            return r_binary("add", r_binary("add", a[0], p[0], w), p[1], w)
        if op == "replicate":
            return sum(a[0] << (k * kid_widths[0]) for k in range(p[0]))
        return r_node(op, w, a, kid_widths, p)

    def dag(self, w: int, steps: int) -> list[Node]:
        """Fresh variables of width ``w`` (and a 1-bit one), then ``steps`` random nodes; all nodes."""
        self.pool, self.nodes = {}, []
        self.leaf_var(w, 0)
        self.leaf_var(w, 1)
        if not self.gf2_only:
            self.leaf_var(1, 0)
            self.leaf_var(self.rng.choice(DIFF_WIDTHS), 2)
        self.leaf_const(w)
        for _ in range(steps):
            self.step(w if self.rng.random() < 0.7 else self.rng.choice(list(self.pool)))
        return [n for n in self.nodes if n.op not in ("var", "const")]


def _normalized_value(t: Term, env: dict[str, int]) -> int:
    """Evaluate a normalizer output: its comparison-only ``sum`` and ``xorn`` nodes by their definitions
    (constant plus coefficients times atoms modulo 2^width; XOR of all operands), the rest by CONCRETE."""
    values: dict[int, BV] = {}
    for node in postorder(t):
        if node.op == "const":
            v = BV(node.width, node.params[0])
        elif node.op == "var":
            v = BV(node.width, env[node.params[0]])
        elif node.op == "sum":
            constant, coeffs = node.params
            v = BV(node.width, constant + sum(c * values[a.serial].val for a, c in zip(node.args, coeffs)))
        elif node.op == "xorn":
            acc = 0
            for a in node.args:
                acc ^= values[a.serial].val
            v = BV(node.width, acc)
        else:
            v = CONCRETE[node.op]([values[a.serial] for a in node.args], node.params, node.width)
        values[node.serial] = v
    return values[t.serial].val


def _anf_value(engine: ANF, bits: list[Any], env: dict[str, int]) -> int:
    """Evaluate ANF bit polynomials (affine ints: bit 0 constant, bit k+1 input k; or monomial sets)."""
    inputs = 0
    for (name, bit), i in engine.index.items():
        inputs |= (env[name] >> bit & 1) << i
    out = 0
    for j, poly in enumerate(bits):
        if isinstance(poly, int):
            b = (poly & 1) ^ (bin((poly >> 1) & inputs).count("1") & 1)
        else:
            b = 0
            for m in poly:
                b ^= int(m & inputs == m)
        out |= b << j
    return out


def _compiled(roots: list[Term], fuse: bool) -> Callable[[dict[str, int]], list[int]]:
    lines = emit(roots, lambda v: f"env[{v.params[0]!r}]", fuse=fuse)
    outs = [reference(r, lambda v: f"env[{v.params[0]!r}]") for r in roots]
    source = "def f(env):\n" + "".join(f"    {line}\n" for line in lines) + f"    return [{', '.join(outs)}]\n"
    namespace: dict[str, Any] = {"_sdiv": sdiv}
    exec(compile(source, "<soundness>", "exec"), namespace)
    return namespace["f"]  # type: ignore[no-any-return]


_Z3_VARS: dict[tuple[str, int], Any] = {}


def _z3_value(expr: Any, widths: dict[str, int], env: dict[str, int]) -> int:
    """The Z3 expression with the variables (``widths``: those of the term) fixed, simplified to a value."""
    pairs = []
    for n, w in widths.items():
        key = (n, w)
        if key not in _Z3_VARS:
            _Z3_VARS[key] = z3.BitVec(n, w)
        pairs.append((_Z3_VARS[key], z3.BitVecVal(env[n], w)))
    return z3.simplify(z3.substitute(expr, *pairs) if pairs else expr).as_long()


def _smtlib_agrees(root: Term, env: dict[str, int], expected: int) -> bool:
    """Write ``root`` as SMT-LIB, parse it back with Z3, fix the inputs: is it ``expected``?"""
    lines, ref = declarations_and_definitions([root])
    script = "\n".join(lines) + f"\n(assert (= {ref[root.serial]} {literal(expected, root.width)}))\n"
    parsed = z3.parse_smt2_string(script)
    widths = term_module.variables(root)
    pairs = [(z3.BitVec(n, w), z3.BitVecVal(env[n], w)) for n, w in widths.items()]
    fact = z3.And(*parsed)
    return z3.is_true(z3.simplify(z3.substitute(fact, *pairs) if pairs else fact))


@dataclass
class DiffStats:
    dags: int = 0
    roots: int = 0
    values: int = 0  # reference values compared (per backend, per environment)
    z3_roots: int = 0
    smt_roots: int = 0
    anf_roots: int = 0
    failures: list[str] | None = None


def differential(seed: int, count: int, smt_every: int = 2, stop_after: int = 20) -> DiffStats:
    """``count`` random DAGs; every backend against the reference.  Failures are collected, not raised."""
    rng = random.Random(seed)
    stats = DiffStats(failures=[])
    failures = stats.failures
    assert failures is not None
    for k in range(count):
        gf2 = k % 4 == 3
        gen = DagGenerator(rng, gf2_only=gf2)
        w = rng.choice(DIFF_WIDTHS)
        nodes = gen.dag(w, rng.randrange(4, 14))
        if not nodes:
            continue
        stats.dags += 1
        roots = [n.term for n in nodes]
        names = {n.params[0]: n.width for n in gen.nodes if n.op == "var"}  # folded-away ones too
        envs = []
        for _ in range(3):
            envs.append({n: gen.special(wn) if rng.random() < 0.5 else rng.getrandbits(wn) for n, wn in names.items()})
        compiled = _compiled(roots, fuse=bool(k % 2))
        normalizer = Normalizer()
        normalized = [normalizer(t) for t in roots]
        checked_z3 = {id(nodes[-1]), id(nodes[rng.randrange(len(nodes))])}
        z3_exprs = {id(n): (to_z3(n.term), term_module.variables(n.term)) for n in nodes if id(n) in checked_z3}
        anf_bits: dict[int, tuple[ANF, list[Any]]] = {}
        if gf2 or k % 4 == 1:
            for n in nodes[-3:]:
                engine = ANF()
                bits = engine.bits(n.term)
                if bits is not None and not engine.opaque:
                    anf_bits[id(n)] = (engine, bits)
        stats.anf_roots += len(anf_bits)
        stats.roots += len(nodes)
        for e_index, env in enumerate(envs):
            memo: dict[int, int] = {}
            comp = compiled(env)
            for i, n in enumerate(nodes):
                want = gen.value(n, env, memo)
                got = {"evaluate": evaluate(n.term, env).val, "pycompile": comp[i],
                       "normalize": _normalized_value(normalized[i], env)}
                if id(n) in z3_exprs:
                    got["z3"] = _z3_value(*z3_exprs[id(n)], env=env)
                    stats.z3_roots += e_index == 0
                if id(n) in anf_bits:
                    got["anf"] = _anf_value(*anf_bits[id(n)], env)
                if e_index == 0 and i == len(nodes) - 1 and k % smt_every == 0:
                    got["smtlib"] = want if _smtlib_agrees(n.term, env, want) else -1
                    stats.smt_roots += 1
                stats.values += len(got)
                for backend, value in got.items():
                    if value != want:
                        failures.append(f"seed {seed} dag {k} {backend}: {n.op}{n.params!r:.60} width {n.width} "
                                        f"env {env} -> {value:#x}, reference {want:#x}; term {n.term!r:.300}")
        if len(failures) >= stop_after:
            break
    return stats


def test_random_differential_over_every_backend() -> None:
    stats = differential(seed=2024, count=3000)
    assert stats.failures == [], "\n".join(stats.failures[:10])  # type: ignore[index]
    assert stats.dags >= 2900 and stats.roots > 24_000, stats
    assert stats.z3_roots > 5000 and stats.smt_roots >= 1500 and stats.anf_roots > 3000, stats


def _old_shift(op: str, x: Term, n: Any) -> Term:
    """The fold that issue 21 found: ``x.asr(n)`` for a constant n >= width folded to 0."""
    if isinstance(n, int):
        n = min(n, x.width) if op == "ashr" else n
        if n >= x.width:
            return const_term(BV(x.width, 0))
        if n == 0:
            return x
        n = const_term(BV(x.width, n))
    return mk(op, x, term_module._amount_term(n, x.width))


def _plant_simplify(monkeypatch: pytest.MonkeyPatch) -> None:
    original = term_module._simplify

    def wrong(op: str, width: int, a: tuple[Term, ...]) -> Term | None:
        if op == "sub" and a[1].op == "const" and a[0].op != "const":  # x - c  ->  x + c: a plausible slip
            return mk("add", a[0], a[1])
        return original(op, width, a)

    monkeypatch.setattr(term_module, "_simplify", wrong)


def _plant_concrete(monkeypatch: pytest.MonkeyPatch) -> None:
    def floor_sdiv(v: list[BV], p: tuple[Any, ...], w: int) -> BV:  # rounds toward -inf, not toward zero
        b = v[1].sval
        return BV(w, v[0].sval // b if b else (1 if v[0].sval < 0 else -1))

    monkeypatch.setitem(CONCRETE, "sdiv", floor_sdiv)


def _plant_shift(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(term_module, "_shift", _old_shift)


@pytest.mark.parametrize("plant", [_plant_shift, _plant_simplify, _plant_concrete], ids=lambda f: f.__name__)
def test_the_differential_catches_a_planted_wrong_rewrite(
        plant: Callable[[pytest.MonkeyPatch], None], monkeypatch: pytest.MonkeyPatch) -> None:
    clean = differential(seed=7, count=150)
    assert clean.failures == [], clean.failures
    plant(monkeypatch)
    stats = differential(seed=7, count=150, stop_after=3)
    assert stats.failures, f"{plant.__name__} went unnoticed over {stats.dags} DAGs"


def test_table_entries_wider_than_the_lookup_mean_the_same_in_every_backend() -> None:
    """A lookup reads ``BV(width, entry)``; the Python, Z3 and SMT-LIB backends must read the same
    (they used the raw entries: 0x1ff and -1 in an 8-bit table)."""
    table = (0x1FF, -1, 0x80, 0x1_0000_0007)
    index = var("wide_i", 2)
    t = lookup(table, index, 8)
    compiled = _compiled([t], fuse=False)
    z3_expr = to_z3(t)
    for i in range(4):
        want = table[i] % 256
        assert lookup(table, BV(2, i), 8) == BV(8, want)
        assert lookup(table, const_term(BV(2, i)), 8).as_int() == want
        env = {"wide_i": i}
        assert evaluate(t, env).val == want
        assert compiled(env) == [want]
        assert _z3_value(z3_expr, {"wide_i": 2}, env) == want
        assert _smtlib_agrees(t, env, want)


def test_the_exhaustive_check_catches_the_issue_21_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(term_module, "_shift", _old_shift)
    case = next(c for c in small_cases(4) if c.name == "asr#4")
    with pytest.raises(AssertionError, match="asr#4 fold"):
        check_case(case)


# ---------------------------------------------------------------------------------------------
# end to end: a false claim about a shift by the width is refuted, never proved

ROUTINES = """
    .text
    .globl zero, same, asrv, lslv, rorv
zero:
    mov x0, #0
    ret
same:
    mov w0, w0
    ret
asrv:
    asr w0, w0, w1
    ret
lslv:
    lsl w0, w0, w1
    ret
rorv:
    ror w0, w0, w1
    ret
"""


@pytest.fixture(scope="module")
def routines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from asm_tools import assemble

    return assemble(tmp_path_factory.mktemp("soundness"), ROUTINES)


def _contract(obj: Path, symbol: str, spec: Callable[[dict[str, Any]], Any], amount: bool = False) -> Any:
    from lnsym.contract import Contract, Return, Scalar

    args = [Scalar("x", 32), *([Scalar("n", 32)] if amount else [])]
    return Contract(f"{symbol}_claim", str(obj), symbol, args, [Return("r", 32)], lambda i: {"r": spec(i)})


FALSE_CLAIMS = [
    ("zero", "x.asr(32)", lambda i: i["x"].asr(32), False),
    ("zero", "x.asr(33)", lambda i: i["x"].asr(33), False),
    ("zero", "x.asr(64)", lambda i: i["x"].asr(64), False),
    ("zero", "x.ror(32)", lambda i: i["x"].ror(32), False),
    ("same", "x.lsl(32)", lambda i: i["x"].lsl(32), False),
    ("same", "x.lsr(32)", lambda i: i["x"].lsr(32), False),
    ("same", "x.asr(32)", lambda i: i["x"].asr(32), False),
    ("asrv", "x.asr(n)", lambda i: i["x"].asr(i["n"]), True),  # Arm ASRV shifts by n mod 32
    ("lslv", "x.lsl(n)", lambda i: i["x"].lsl(i["n"]), True),
    ("rorv", "x.lsr(n & 31)", lambda i: i["x"].lsr(i["n"] & 31), True),
]
TRUE_CLAIMS = [
    ("zero", "x.lsl(32)", lambda i: i["x"].lsl(32), False),
    ("zero", "x.lsr(40)", lambda i: i["x"].lsr(40), False),
    ("same", "x.ror(32)", lambda i: i["x"].ror(32), False),
    ("asrv", "x.asr(n & 31)", lambda i: i["x"].asr(i["n"] & 31), True),
    ("lslv", "x.lsl(n & 31)", lambda i: i["x"].lsl(i["n"] & 31), True),
    ("rorv", "x.ror(n)", lambda i: i["x"].ror(i["n"]), True),
]


@pytest.mark.parametrize(("symbol", "text", "spec", "amount"), FALSE_CLAIMS,
                         ids=[f"{s}={t}" for s, t, *_ in FALSE_CLAIMS])
def test_a_false_shift_claim_is_refuted_with_a_counterexample(
        routines: Path, symbol: str, text: str, spec: Callable[[dict[str, Any]], Any], amount: bool) -> None:
    from lnsym.prove.prover import verify

    result = verify(_contract(routines, symbol, spec, amount), timeout_s=60)
    assert result.verdict == "refuted", (text, result.verdict, result.detail)
    cx = result.counterexample
    assert cx is not None and cx["expected"] != cx["symbolic_actual"], cx
    inputs = {k: int(v) for k, v in cx["inputs"].items()}  # type: ignore[union-attr]
    x, n = BV(32, inputs["x"]), BV(32, inputs.get("n", 0))
    arm = {"zero": BV(32, 0), "same": x, "asrv": x.asr(n.val % 32), "lslv": x.lsl(n.val % 32),
           "rorv": x.ror(n.val % 32)}[symbol]
    claimed = spec({"x": x, "n": n})
    assert int(str(cx["expected"]), 16) == claimed.val != arm.val, (cx, claimed, arm)
    assert cx["replays"] is True, cx


@pytest.mark.parametrize(("symbol", "text", "spec", "amount"), TRUE_CLAIMS,
                         ids=[f"{s}={t}" for s, t, *_ in TRUE_CLAIMS])
def test_a_true_shift_claim_is_still_proved(
        routines: Path, symbol: str, text: str, spec: Callable[[dict[str, Any]], Any], amount: bool) -> None:
    from lnsym.prove.prover import verify

    result = verify(_contract(routines, symbol, spec, amount), timeout_s=60)
    assert result.verdict == "proved", (text, result.verdict, result.detail, result.counterexample)
