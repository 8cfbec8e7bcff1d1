"""Translation of terms to Z3 bit-vector expressions (memoised, iterative over the DAG)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import z3

from bitvec.term import Term, postorder


def _clz(x: z3.BitVecRef, width: int) -> z3.BitVecRef:
    result = z3.BitVecVal(width, width)
    for i in range(width):  # the highest set bit decides; later (higher) bits override
        result = z3.If(z3.Extract(i, i, x) == 1, z3.BitVecVal(width - 1 - i, width), result)
    return result


def _popcount(x: z3.BitVecRef, width: int) -> z3.BitVecRef:
    total = z3.BitVecVal(0, width)
    for i in range(width):
        total = total + z3.ZeroExt(width - 1, z3.Extract(i, i, x)) if width > 1 else z3.Extract(i, i, x)
    return total


def _select_tree(table: tuple[int, ...], index: z3.BitVecRef, bits: int, width: int) -> z3.BitVecRef:
    """A balanced If-tree on the index bits selecting ``table[index]``."""
    level = [z3.BitVecVal(v, width) for v in table]
    for b in range(bits):
        bit = z3.Extract(b, b, index) == 1
        level = [z3.If(bit, level[i + 1], level[i]) for i in range(0, len(level), 2)]
    return level[0]


def _bool(b: z3.BoolRef) -> z3.BitVecRef:
    return z3.If(b, z3.BitVecVal(1, 1), z3.BitVecVal(0, 1))


Translation = Callable[[Term, list[Any]], Any]

Z3_TRANSLATION: dict[str, Translation] = {
    "const": lambda t, a: z3.BitVecVal(t.params[0], t.width),
    "var": lambda t, a: z3.BitVec(t.params[0], t.width),
    "add": lambda t, a: a[0] + a[1],
    "sub": lambda t, a: a[0] - a[1],
    "mul": lambda t, a: a[0] * a[1],
    "and": lambda t, a: a[0] & a[1],
    "or": lambda t, a: a[0] | a[1],
    "xor": lambda t, a: a[0] ^ a[1],
    "not": lambda t, a: ~a[0],
    "neg": lambda t, a: -a[0],
    "udiv": lambda t, a: z3.UDiv(a[0], a[1]),
    "urem": lambda t, a: z3.URem(a[0], a[1]),
    "sdiv": lambda t, a: a[0] / a[1],
    "shl": lambda t, a: a[0] << a[1],
    "lshr": lambda t, a: z3.LShR(a[0], a[1]),
    "ashr": lambda t, a: a[0] >> a[1],
    "rotr": lambda t, a: z3.RotateRight(a[0], t.params[0]),
    "extract": lambda t, a: z3.Extract(t.params[0], t.params[1], a[0]),
    "sext": lambda t, a: z3.SignExt(t.width - t.args[0].width, a[0]),
    "concat": lambda t, a: z3.Concat(*a) if len(a) > 1 else a[0],
    "eq": lambda t, a: _bool(a[0] == a[1]),
    "ult": lambda t, a: _bool(z3.ULT(a[0], a[1])),
    "ule": lambda t, a: _bool(z3.ULE(a[0], a[1])),
    "slt": lambda t, a: _bool(a[0] < a[1]),
    "sle": lambda t, a: _bool(a[0] <= a[1]),
    "ite": lambda t, a: z3.If(a[0] == 1, a[1], a[2]),
    "clz": lambda t, a: _clz(a[0], t.width),
    "popcount": lambda t, a: _popcount(a[0], t.width),
    "lut": lambda t, a: _select_tree(t.params[0], a[0], t.args[0].width, t.width),
}


def to_z3(roots: Term | list[Term], cache: dict[int, Any] | None = None) -> Any:
    """Translate one term (or a list) to Z3; ``cache`` may be shared across calls."""
    single = isinstance(roots, Term)
    root_list = [roots] if single else list(roots)
    memo: dict[int, Any] = {} if cache is None else cache
    for t in postorder(root_list):
        if t.serial in memo:
            continue
        translate = Z3_TRANSLATION.get(t.op)
        if translate is None:
            raise NotImplementedError(f"no Z3 translation for operator {t.op!r}")
        memo[t.serial] = translate(t, [memo[x.serial] for x in t.args])
    return memo[root_list[0].serial] if single else [memo[r.serial] for r in root_list]
