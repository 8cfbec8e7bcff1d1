"""Shared Advanced SIMD pseudocode (Arm ARM J1: ``Elem[]``, ``V[]``, ``AdvSIMDExpandImm``,
``PolynomialMult`` ...), written over the bit-vector interface."""

from __future__ import annotations

from collections.abc import Sequence

from bitvec import BV, Value, concat, ite
from isa.decoder import Undefined
from isa.machine import Machine


def Elem(vector: Value, e: int, size: int) -> Value:
    """ASL ``Elem[vector, e, size]``: element ``e`` of ``size`` bits."""
    return vector.extract(e * size + size - 1, e * size)


def Elems(vector: Value, size: int) -> list[Value]:
    """All elements, element 0 first."""
    return [Elem(vector, e, size) for e in range(vector.width // size)]


def FromElems(elements: Sequence[Value]) -> Value:
    """Inverse of :func:`Elems`: element 0 becomes the least significant."""
    return concat(*reversed(elements))


def ElemSet(vector: Value, e: int, size: int, value: Value) -> Value:
    """ASL ``Elem[vector, e, size] = value`` as a new vector value."""
    parts = Elems(vector, size)
    parts[e] = value
    return FromElems(parts)


def Vread(s: Machine, n: int, width: int) -> Value:
    """ASL ``V[n, width]``: the low ``width`` bits of SIMD&FP register ``n``."""
    v = s.V(n)
    return v if width == 128 else v.extract(width - 1, 0)


def Vwrite(s: Machine, n: int, value: Value) -> None:
    """ASL ``V[n, width] = value``: writes zero the upper bits of the 128-bit register."""
    s.set_V(n, value.zext(128) if value.width < 128 else value)


def Vpart(s: Machine, n: int, part: int, width: int) -> Value:
    """ASL ``Vpart[n, part, width]``: the low (part 0) or high (part 1) ``width`` bits."""
    return Vread(s, n, width) if part == 0 else s.V(n).extract(2 * width - 1, width)


def VpartSet(s: Machine, n: int, part: int, value: Value) -> None:
    """ASL ``Vpart[n, part, width] = value``: part 0 zeroes the rest; part 1 keeps the low half."""
    if part == 0:
        Vwrite(s, n, value)
    else:
        low = s.V(n).extract(value.width - 1, 0)
        s.set_V(n, concat(value, low))


def Replicate(value: Value, count: int) -> Value:
    return concat(*([value] * count))


def AdvSIMDExpandImm(op: int, cmode: int, imm8: int) -> int:
    """ASL ``AdvSIMDExpandImm``: the 64-bit immediate of MOVI/MVNI/ORR/BIC/FMOV (vector, immediate)."""

    def rep(pattern: int, bits: int) -> int:
        out = 0
        for i in range(0, 64, bits):
            out |= pattern << i
        return out

    c = cmode >> 1
    if c == 0:
        return rep(imm8, 32)
    if c == 1:
        return rep(imm8 << 8, 32)
    if c == 2:
        return rep(imm8 << 16, 32)
    if c == 3:
        return rep(imm8 << 24, 32)
    if c == 4:
        return rep(imm8, 16)
    if c == 5:
        return rep(imm8 << 8, 16)
    if c == 6:
        if cmode & 1 == 0:
            return rep((imm8 << 8) | 0xFF, 32)
        return rep((imm8 << 16) | 0xFFFF, 32)
    # c == 7
    if cmode & 1 == 0 and op == 0:
        return rep(imm8, 8)
    if cmode & 1 == 0 and op == 1:
        out = 0
        for i in range(8):
            if imm8 >> i & 1:
                out |= 0xFF << (8 * i)
        return out
    if cmode & 1 == 1 and op == 0:  # single-precision FMOV immediate, replicated
        return rep(VFPExpandImm(imm8, 32), 32)
    # cmode == 1111, op == 1: double-precision FMOV immediate (Q must be 1)
    return VFPExpandImm(imm8, 64)


def VFPExpandImm(imm8: int, n: int) -> int:
    """ASL ``VFPExpandImm``: the floating-point constant encoded by ``imm8``, as ``n`` bits."""
    e = {16: 5, 32: 8, 64: 11}[n]
    f = n - e - 1
    sign = imm8 >> 7
    b6 = (imm8 >> 6) & 1
    exp = ((b6 ^ 1) << (e - 1)) | ((((1 << (e - 3)) - 1) if b6 else 0) << 2) | ((imm8 >> 4) & 3)
    frac = (imm8 & 0xF) << (f - 4)
    return (sign << (n - 1)) | (exp << f) | frac


def PolynomialMult(op1: Value, op2: Value) -> Value:
    """ASL ``PolynomialMult``: carry-less product, ``op1.width + op2.width`` bits."""
    width = op1.width + op2.width
    extended = op2.zext(width)
    result: Value = BV(width, 0)
    for i in range(op1.width):
        mask = BV(width, 0) - op1[i].zext(width)  # all ones when bit i is set
        result = result ^ (extended.lsl(i) & mask)
    return result


def check_reserved(condition: bool, why: str) -> None:
    """Raise :class:`Undefined` when a reserved encoding value is used."""
    if condition:
        raise Undefined(why)


# ------------------------------------------------------------------------------------------------
# Saturation (Arm ARM J1 ``SignedSatQ``, ``UnsignedSatQ``, ``SatQ``) and the cumulative FPSR.QC bit


def SignedSatQ(i: Value, n: int) -> tuple[Value, Value]:
    """ASL ``SignedSatQ(i, N)``: ``i`` (a wider value read as signed) clamped to ``n`` bits, and saturated."""
    w = i.width
    hi = i.sgt(BV(w, (1 << (n - 1)) - 1))
    lo = i.slt(BV(w, -(1 << (n - 1))))
    result = ite(hi, BV(n, (1 << (n - 1)) - 1), ite(lo, BV(n, 1 << (n - 1)), i.extract(n - 1, 0)))
    return result, hi | lo


def UnsignedSatQ(i: Value, n: int) -> tuple[Value, Value]:
    """ASL ``UnsignedSatQ(i, N)``: ``i`` (a wider value read as signed) clamped to ``0 .. 2^n - 1``."""
    w = i.width
    hi = i.sgt(BV(w, (1 << n) - 1))
    lo = i.slt(BV(w, 0))
    result = ite(hi, BV(n, -1), ite(lo, BV(n, 0), i.extract(n - 1, 0)))
    return result, hi | lo


def SatQ(i: Value, n: int, unsigned: bool) -> tuple[Value, Value]:
    """ASL ``SatQ(i, N, unsigned)``."""
    return UnsignedSatQ(i, n) if unsigned else SignedSatQ(i, n)


FPSR_QC = 1 << 27


def SetFPSRQC(s: Machine, sat: Value) -> None:
    """``if sat then FPSR.QC = '1'`` (QC is cumulative), without a branch on the data value ``sat``."""
    fpsr = s.sysreg("FPSR")
    s.set_sysreg("FPSR", ite(sat, fpsr | FPSR_QC, fpsr))
