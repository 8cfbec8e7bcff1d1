"""Every term operator, declared once: its name, arity, result-width rule, whether it commutes, and its
concrete meaning (evaluated by :class:`bitvec.concrete.BV`, so that folding a constant term, ``evaluate``
and random simulation all run the one concrete semantics).

Each backend is a table keyed by these names -- Z3 (:data:`bitvec.z3backend.Z3_TRANSLATION`), SMT-LIB
(:data:`bitvec.smtlib.SMTLIB_TRANSLATION`), the Python compiler (:data:`bitvec.pycompile.PYTHON_TRANSLATION`)
-- and ``tests/test_operator_table.py`` checks that each covers every operator, so a new operator is added
here and a missing translation is a failing test, not a ``NotImplementedError`` in a user's proof.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bitvec.concrete import BV

Concrete = Callable[[list[BV], tuple[Any, ...], int], BV]
WidthRule = Callable[[tuple[int, ...], tuple[Any, ...]], int | None]


def _same(widths: tuple[int, ...], params: tuple[Any, ...]) -> int:
    return widths[0]


def _predicate(widths: tuple[int, ...], params: tuple[Any, ...]) -> int:
    return 1


def _stated(widths: tuple[int, ...], params: tuple[Any, ...]) -> None:
    return None  # stated by the node itself (a constant, a variable, an extension, a table's entries)


@dataclass(frozen=True)
class Operator:
    """``arity``: the number of term arguments (``None``: one or more); ``width(arg widths, params)``: the
    result width, or ``None`` when the node states it; ``params``: what the static parameters are."""

    name: str
    arity: int | None
    width: WidthRule
    concrete: Concrete | None  # None for the leaves (const, var)
    commutative: bool = False
    params: str = ""


def _ops() -> list[Operator]:
    binary: list[tuple[str, Concrete, bool]] = [
        ("add", lambda v, p, w: v[0] + v[1], True),
        ("sub", lambda v, p, w: v[0] - v[1], False),
        ("mul", lambda v, p, w: v[0] * v[1], True),
        ("and", lambda v, p, w: v[0] & v[1], True),
        ("or", lambda v, p, w: v[0] | v[1], True),
        ("xor", lambda v, p, w: v[0] ^ v[1], True),
        ("udiv", lambda v, p, w: v[0].udiv(v[1]), False),  # SMT-LIB: x / 0 = all ones
        ("urem", lambda v, p, w: v[0].urem(v[1]), False),  # x % 0 = x
        ("sdiv", lambda v, p, w: v[0].sdiv(v[1]), False),
        ("shl", lambda v, p, w: v[0].lsl(v[1]), False),  # amount read unsigned; >= width gives 0
        ("lshr", lambda v, p, w: v[0].lsr(v[1]), False),
        ("ashr", lambda v, p, w: v[0].asr(v[1]), False),  # >= width: the sign mask
    ]
    predicates: list[tuple[str, Concrete, bool]] = [
        ("eq", lambda v, p, w: v[0].eq(v[1]), True),
        ("ult", lambda v, p, w: v[0].ult(v[1]), False),
        ("ule", lambda v, p, w: v[0].ule(v[1]), False),
        ("slt", lambda v, p, w: v[0].slt(v[1]), False),
        ("sle", lambda v, p, w: v[0].sle(v[1]), False),
    ]
    return [
        Operator("const", 0, _stated, None, params="(value,)"),
        Operator("var", 0, _stated, None, params="(name,)"),
        *(Operator(n, 2, _same, f, c) for n, f, c in binary),
        *(Operator(n, 2, _predicate, f, c) for n, f, c in predicates),
        Operator("not", 1, _same, lambda v, p, w: ~v[0]),
        Operator("neg", 1, _same, lambda v, p, w: -v[0]),
        Operator("clz", 1, _same, lambda v, p, w: v[0].clz()),
        Operator("popcount", 1, _same, lambda v, p, w: v[0].popcount()),
        Operator("rotr", 1, _same, lambda v, p, w: v[0].ror(p[0]), params="(amount,) in 1..width-1"),
        Operator("extract", 1, lambda ws, p: p[0] - p[1] + 1, lambda v, p, w: v[0].extract(p[0], p[1]),
                 params="(hi, lo)"),
        Operator("sext", 1, _stated, lambda v, p, w: v[0].sext(w)),
        Operator("concat", None, lambda ws, p: sum(ws), lambda v, p, w: v[0].concat(*v[1:])),
        Operator("ite", 3, lambda ws, p: ws[1], lambda v, p, w: v[1] if v[0].val else v[2]),
        Operator("lut", 1, _stated, lambda v, p, w: BV(w, p[0][v[0].val]),
                 params="(table,): entries indexed by the argument"),
    ]


OPERATORS: dict[str, Operator] = {op.name: op for op in _ops()}
LEAVES = frozenset({"const", "var"})
COMMUTATIVE = frozenset(name for name, op in OPERATORS.items() if op.commutative)
CONCRETE: dict[str, Concrete] = {name: op.concrete for name, op in OPERATORS.items() if op.concrete is not None}


def missing(table: dict[str, Any], leaves: bool = False) -> set[str]:
    """The operators a backend's ``table`` does not translate (``leaves``: const and var included)."""
    wanted = set(OPERATORS) if leaves else set(OPERATORS) - LEAVES
    return wanted - set(table)


def result_width(op: str, arg_widths: tuple[int, ...], params: tuple[Any, ...]) -> int | None:
    """The width a node ``op`` with these operands has by the table (``None``: the node states it)."""
    return OPERATORS[op].width(arg_widths, params)
