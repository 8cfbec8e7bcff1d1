"""Free functions of the bit-vector interface; each works on concrete values and terms alike."""

from __future__ import annotations

from typing import Any

from bitvec.concrete import BV, FALSE, TRUE, WidthError
from bitvec.term import Term, lift, mk, mk_concat, mk_lookup

Value = BV | Term


def _binary(method: str, a: Any, b: Any) -> Value:
    if type(a) is BV and type(b) is Term:
        return getattr(lift(a, None), method)(b)
    result = getattr(a, method)(b)
    if result is NotImplemented:
        return getattr(lift(a, None), method)(b)
    return result


def eq(a: Value, b: Any) -> Value:
    return _binary("eq", a, b)


def ne(a: Value, b: Any) -> Value:
    return _binary("ne", a, b)


def ult(a: Value, b: Any) -> Value:
    return _binary("ult", a, b)


def ule(a: Value, b: Any) -> Value:
    return _binary("ule", a, b)


def ugt(a: Value, b: Any) -> Value:
    return _binary("ugt", a, b)


def uge(a: Value, b: Any) -> Value:
    return _binary("uge", a, b)


def slt(a: Value, b: Any) -> Value:
    return _binary("slt", a, b)


def sle(a: Value, b: Any) -> Value:
    return _binary("sle", a, b)


def sgt(a: Value, b: Any) -> Value:
    return _binary("sgt", a, b)


def sge(a: Value, b: Any) -> Value:
    return _binary("sge", a, b)


def udiv(a: Value, b: Any) -> Value:
    return _binary("udiv", a, b)


def sdiv(a: Value, b: Any) -> Value:
    return _binary("sdiv", a, b)


def lsl(a: Value, n: Any) -> Value:
    return _binary("lsl", a, n)


def lsr(a: Value, n: Any) -> Value:
    return _binary("lsr", a, n)


def asr(a: Value, n: Any) -> Value:
    return _binary("asr", a, n)


def ror(a: Value, n: Any) -> Value:
    return _binary("ror", a, n)


def extract(a: Value, hi: int, lo: int) -> Value:
    return a.extract(hi, lo)


def zext(a: Value, width: int) -> Value:
    return a.zext(width)


def sext(a: Value, width: int) -> Value:
    return a.sext(width)


def concat(*parts: Value) -> Value:
    """``parts[0] : parts[1] : ...`` -- the first part is most significant (ASL ``a:b``)."""
    if all(type(p) is BV for p in parts):
        return parts[0].concat(*parts[1:])
    return mk_concat(*[lift(p, None) for p in parts])


def lookup(table: tuple[int, ...] | list[int], index: Value, width: int = 8) -> Value:
    """``table[index]`` -- a constant-table lookup (S-boxes); see :func:`bitvec.term.mk_lookup`."""
    if type(index) is BV:
        return BV(width, table[index.val])
    return mk_lookup(tuple(table), index, width)


def replicate(a: Value, count: int) -> Value:
    """ASL ``Replicate(a, count)``."""
    return concat(*([a] * count))


def ite(cond: Value, then: Any, other: Any) -> Value:
    """If-then-else on a 1-bit condition; with a concrete condition only one side is chosen."""
    if cond.width != 1:
        raise WidthError(f"ite condition must be 1 bit wide, got {cond.width}")
    if cond is TRUE or (type(cond) is BV and cond.val):
        return then
    if cond is FALSE or type(cond) is BV:
        return other
    if cond.op == "const":
        return then if cond.params[0] else other
    return mk("ite", cond, then, other)
