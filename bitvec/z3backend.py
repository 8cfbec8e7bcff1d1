"""Translation of terms to Z3 bit-vector expressions (memoised, iterative over the DAG)."""

from __future__ import annotations

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


def to_z3(roots: Term | list[Term], cache: dict[int, Any] | None = None) -> Any:
    """Translate one term (or a list) to Z3; ``cache`` may be shared across calls."""
    single = isinstance(roots, Term)
    root_list = [roots] if single else list(roots)
    memo: dict[int, Any] = {} if cache is None else cache
    for t in postorder(root_list):
        if t.serial in memo:
            continue
        a = [memo[x.serial] for x in t.args]
        op, w, p = t.op, t.width, t.params
        if op == "const":
            e = z3.BitVecVal(p[0], w)
        elif op == "var":
            e = z3.BitVec(p[0], w)
        elif op == "add":
            e = a[0] + a[1]
        elif op == "sub":
            e = a[0] - a[1]
        elif op == "mul":
            e = a[0] * a[1]
        elif op == "and":
            e = a[0] & a[1]
        elif op == "or":
            e = a[0] | a[1]
        elif op == "xor":
            e = a[0] ^ a[1]
        elif op == "not":
            e = ~a[0]
        elif op == "neg":
            e = -a[0]
        elif op == "udiv":
            e = z3.UDiv(a[0], a[1])
        elif op == "urem":
            e = z3.URem(a[0], a[1])
        elif op == "sdiv":
            e = a[0] / a[1]
        elif op == "shl":
            e = a[0] << a[1]
        elif op == "lshr":
            e = z3.LShR(a[0], a[1])
        elif op == "ashr":
            e = a[0] >> a[1]
        elif op == "rotr":
            e = z3.RotateRight(a[0], p[0])
        elif op == "extract":
            e = z3.Extract(p[0], p[1], a[0])
        elif op == "sext":
            e = z3.SignExt(w - t.args[0].width, a[0])
        elif op == "concat":
            e = z3.Concat(*a)
        elif op == "eq":
            e = _bool(a[0] == a[1])
        elif op == "ult":
            e = _bool(z3.ULT(a[0], a[1]))
        elif op == "ule":
            e = _bool(z3.ULE(a[0], a[1]))
        elif op == "slt":
            e = _bool(a[0] < a[1])
        elif op == "sle":
            e = _bool(a[0] <= a[1])
        elif op == "ite":
            e = z3.If(a[0] == 1, a[1], a[2])
        elif op == "clz":
            e = _clz(a[0], w)
        elif op == "popcount":
            e = _popcount(a[0], w)
        elif op == "lut":
            e = _select_tree(p[0], a[0], t.args[0].width, w)
        else:
            raise NotImplementedError(f"no Z3 translation for operator {op!r}")
        memo[t.serial] = e
    return memo[root_list[0].serial] if single else [memo[r.serial] for r in root_list]
