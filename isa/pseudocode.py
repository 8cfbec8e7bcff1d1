"""Shared Arm ARM pseudocode functions (Arm ARM J1), written over the bit-vector interface.

Names follow the ASL library so semantics read like the manual: ``AddWithCarry``,
``DecodeBitMasks``, ``ShiftReg``, ``ExtendReg``, ``ConditionHolds`` ...
"""

from __future__ import annotations

from bitvec import BV, Value, concat, ite
from isa.decoder import Undefined
from isa.machine import Machine

# ASL ShiftType / ExtendType encodings
LSL, LSR, ASR, ROR = 0, 1, 2, 3
UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX = range(8)


def Zeros(n: int) -> BV:
    return BV(n, 0)


def Ones(n: int) -> BV:
    return BV(n, -1)


def SignExtend(x: Value, n: int) -> Value:
    return x.sext(n)


def ZeroExtend(x: Value, n: int) -> Value:
    return x.zext(n)


def SInt(bits: int, width: int) -> int:
    """Signed reading of a decode-time field."""
    return bits - (1 << width) if bits >> (width - 1) & 1 else bits


def IsZeroBit(x: Value) -> Value:
    return x.eq(0)


def AddWithCarry(x: Value, y: Value, carry_in: Value) -> tuple[Value, Value]:
    """ASL ``AddWithCarry``: ``x + y + carry_in`` and the resulting 4-bit NZCV."""
    n = x.width
    c = carry_in.zext(n)
    result = x + y + c
    wide_x, wide_y, wide_c = x.zext(n + 1), y.zext(n + 1), carry_in.zext(n + 1)
    carry = (wide_x + wide_y + wide_c)[n]
    # signed overflow: operands have equal sign and the result's sign differs
    overflow = ((x ^ result) & (y ^ result))[n - 1]
    negative = result[n - 1]
    zero = result.eq(0)
    return result, concat(negative, zero, carry, overflow)


def ConditionHolds(cond: int, nzcv: Value) -> Value:
    """ASL ``ConditionHolds``: 1-bit result for the 4-bit ``cond`` against PSTATE.NZCV."""
    n, z, c, v = nzcv[3], nzcv[2], nzcv[1], nzcv[0]
    base = cond >> 1
    if base == 0:
        result = z
    elif base == 1:
        result = c
    elif base == 2:
        result = n
    elif base == 3:
        result = v
    elif base == 4:
        result = c & ~z
    elif base == 5:
        result = ~(n ^ v)
    elif base == 6:
        result = ~(n ^ v) & ~z
    else:
        return BV(1, 1)  # AL and NV both always hold
    return ~result if cond & 1 else result


def ShiftReg(value: Value, shift_type: int, amount: int) -> Value:
    """ASL ``ShiftReg`` with a decode-time ``amount``."""
    if shift_type == LSL:
        return value.lsl(amount)
    if shift_type == LSR:
        return value.lsr(amount)
    if shift_type == ASR:
        return value.asr(amount)
    return value.ror(amount)


def ExtendValue(value: Value, extend_type: int, shift: int, width: int) -> Value:
    """ASL ``ExtendReg`` applied to an already-read register value."""
    size = (8, 16, 32, 64)[extend_type & 3]
    size = min(size, width)
    part = value.extract(size - 1, 0) if size < value.width else value
    extended = part.sext(width) if extend_type >= SXTB else part.zext(width)
    return extended.lsl(shift)


def ExtendReg(s: Machine, reg: int, extend_type: int, shift: int, width: int) -> Value:
    """ASL ``ExtendReg(reg, exttype, shift, N)``."""
    return ExtendValue(s.X(reg, 64), extend_type, shift, width)


def _replicate_int(pattern: int, esize: int, width: int) -> int:
    out = 0
    for i in range(0, width, esize):
        out |= pattern << i
    return out


def _ror_int(x: int, r: int, width: int) -> int:
    r %= width
    mask = (1 << width) - 1
    return ((x >> r) | (x << (width - r))) & mask if r else x


def HighestSetBit(x: int, width: int) -> int:
    """ASL ``HighestSetBit`` on a decode-time integer; -1 when zero."""
    return (x & ((1 << width) - 1)).bit_length() - 1


def DecodeBitMasks(immN: int, imms: int, immr: int, immediate: bool, width: int) -> tuple[int, int]:
    """ASL ``DecodeBitMasks``: the (wmask, tmask) pair, as decode-time integers.

    Raises :class:`Undefined` for reserved combinations, exactly as the pseudocode does.
    """
    length = HighestSetBit((immN << 6) | (~imms & 0x3F), 7)
    if length < 1:
        raise Undefined("DecodeBitMasks: reserved element size")
    levels = (1 << length) - 1
    if immediate and (imms & levels) == levels:
        raise Undefined("DecodeBitMasks: all-ones element")
    s = imms & levels
    r = immr & levels
    diff = (s - r) & levels
    esize = 1 << length
    d = diff & levels
    welem = (1 << (s + 1)) - 1
    telem = (1 << (d + 1)) - 1
    wmask = _replicate_int(_ror_int(welem, r, esize), esize, width)
    tmask = _replicate_int(telem, esize, width)
    return wmask, tmask


def BitReverse(x: Value) -> Value:
    """ASL ``BitReverse``."""
    return concat(*[x[i] for i in range(x.width)])


def Reverse(x: Value, esize: int, container: int) -> Value:
    """Reverse the ``esize``-bit elements inside each ``container``-bit chunk (REV, REV16, REV32)."""
    chunks = []
    for c in range(x.width // container - 1, -1, -1):
        base = c * container
        elems = [x.extract(base + e * esize + esize - 1, base + e * esize) for e in range(container // esize)]
        chunks.extend(elems)  # least significant element first == reversed order, most significant
    return concat(*chunks)


def CountLeadingZeroBits(x: Value) -> Value:
    """ASL ``CountLeadingZeroBits`` as a value of ``x``'s width."""
    return x.clz()


def CountLeadingSignBits(x: Value) -> Value:
    """ASL ``CountLeadingSignBits``: leading bits equal to the sign bit, excluding the sign bit."""
    n = x.width
    return (x[n - 1 : 1] ^ x[n - 2 : 0]).clz().zext(n)


def cond_select(cond: Value, a: Value, b: Value) -> Value:
    """``if cond then a else b`` -- alias of :func:`bitvec.ite` for readability in semantics."""
    return ite(cond, a, b)
