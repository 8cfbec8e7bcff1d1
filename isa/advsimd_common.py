"""Small shared pieces of the Advanced SIMD integer semantics (isa/advsimd_*.py): arrangements and
element-wise maps, written over the bit-vector interface (no Python branch on data values)."""

from __future__ import annotations

from collections.abc import Callable

from bitvec import BV, Value
from isa.decoder import Undefined
from isa.simd_pseudocode import Elems, FromElems


def ones(n: int) -> int:
    """ASL ``Ones(n)`` as an int."""
    return (1 << n) - 1


def all_ones_if(cond: Value, n: int) -> Value:
    """``if cond then Ones(n) else Zeros(n)`` for a 1-bit ``cond`` (the compare instructions' result)."""
    return cond.sext(n)


def lowest_set_bit(x: int, n: int) -> int:
    """ASL ``LowestSetBit(x)`` of an ``n``-bit field: ``n`` when ``x`` is zero."""
    for i in range(n):
        if x >> i & 1:
            return i
    return n


def highest_set_bit(x: int) -> int:
    """ASL ``HighestSetBit(x)``: -1 when ``x`` is zero."""
    return x.bit_length() - 1


def vector_shape(size: int, Q: int | None) -> tuple[int, int]:
    """``(esize, datasize)``: ``8 << size`` and ``64 << Q``; a scalar form (``Q`` absent) has datasize = esize."""
    esize = 8 << size
    return esize, (esize if Q is None else 64 << Q)


def reserved_size_q(size: int, Q: int | None) -> None:
    """The common vector check ``if size:Q == '110' then UNDEFINED`` (no 64-bit elements in a 64-bit vector)."""
    if Q is not None and size == 3 and Q == 0:
        raise Undefined("size:Q == '110' is reserved")


def require_scalar_d(size: int, Q: int | None) -> None:
    """Scalar forms that only exist for 64-bit elements: ``if size != '11' then UNDEFINED``."""
    if Q is None and size != 3:
        raise Undefined("scalar form requires size == '11'")


def map1(op: Value, esize: int, fn: Callable[[Value], Value]) -> Value:
    """``Elem[result, e] = fn(Elem[op, e])`` for every element."""
    return FromElems([fn(a) for a in Elems(op, esize)])


def map2(op1: Value, op2: Value, esize: int, fn: Callable[[Value, Value], Value]) -> Value:
    """``Elem[result, e] = fn(Elem[op1, e], Elem[op2, e])`` for every element."""
    return FromElems([fn(a, b) for a, b in zip(Elems(op1, esize), Elems(op2, esize))])


def map3(op1: Value, op2: Value, op3: Value, esize: int, fn: Callable[[Value, Value, Value], Value]) -> Value:
    """``Elem[result, e] = fn(Elem[op1, e], Elem[op2, e], Elem[op3, e])`` for every element."""
    return FromElems([fn(a, b, c) for a, b, c in zip(Elems(op1, esize), Elems(op2, esize), Elems(op3, esize))])


def any_of(bits: list[Value]) -> Value:
    """OR of 1-bit values (``FALSE`` for none)."""
    out: Value = BV(1, 0)
    for b in bits:
        out = out | b
    return out
