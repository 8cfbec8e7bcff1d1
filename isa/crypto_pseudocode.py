"""Shared pseudocode of the Armv8 cryptographic extensions (Arm ARM J1: ``shared/functions/crypto``).

Names follow the ASL library: ``AESSubBytes``, ``AESShiftRows``, ``AESMixColumns``, ``FFmul02`` ...,
``SHAchoose``, ``SHAmajority``, ``SHAparity``, ``SHA256hash``, ``SHAhashSIGMA0``/``1``, ``ROL``, ``ROR``.
Everything is written over the bit-vector interface, so it runs concretely and symbolically; no Python
branch looks at a data value.  The AES tables are built here from their FIPS 197 definition (section
5.1.1: multiplicative inverse in GF(2^8) followed by the affine transformation); they are deliberately
independent of ``crypto_specs``.
"""

from __future__ import annotations

from collections.abc import Sequence

from bitvec import BV, Value, concat, lookup

# ------------------------------------------------------------------------------------------------
# GF(2^8) and the AES S-boxes (FIPS 197 section 4.2 and 5.1.1), computed once at import time


def _gf_mul(a: int, b: int) -> int:
    """Product in GF(2^8) modulo the AES polynomial x^8 + x^4 + x^3 + x + 1 (plain ints, tables only)."""
    p = 0
    for _ in range(8):
        if b & 1:
            p ^= a
        a = ((a << 1) ^ (0x11B if a & 0x80 else 0)) & 0xFF
        b >>= 1
    return p


def _gf_inverse(a: int) -> int:
    """Multiplicative inverse (``a^254``); 0 maps to 0 as FIPS 197 specifies."""
    result, base, e = 1, a, 254
    while e:
        if e & 1:
            result = _gf_mul(result, base)
        base = _gf_mul(base, base)
        e >>= 1
    return result if a else 0


def _affine(b: int) -> int:
    """FIPS 197 (5.1): b'_i = b_i ^ b_(i+4) ^ b_(i+5) ^ b_(i+6) ^ b_(i+7) ^ c_i with c = 0x63."""
    out = 0
    for i in range(8):
        bit = (b >> i) ^ (b >> ((i + 4) % 8)) ^ (b >> ((i + 5) % 8)) ^ (b >> ((i + 6) % 8)) ^ (b >> ((i + 7) % 8))
        out |= ((bit ^ (0x63 >> i)) & 1) << i
    return out


SBOX: tuple[int, ...] = tuple(_affine(_gf_inverse(x)) for x in range(256))
INV_SBOX: tuple[int, ...] = tuple(SBOX.index(y) for y in range(256))

# ------------------------------------------------------------------------------------------------
# table lookup on possibly symbolic bytes


def sbox_lookup(index: Value, table: Sequence[int]) -> Value:
    """``table[UInt(index)]`` for an 8-bit ``index``, as one constant-table lookup (``bitvec.lookup``).

    Symbolically this is a single node (compiled to a direct index, given to Z3 as a selection tree),
    so AESE stays small and two lookups of the same table and index are the same term.
    """
    return lookup(tuple(table), index, 8)


# ------------------------------------------------------------------------------------------------
# rotations and byte access


def ROR(x: Value, shift: int) -> Value:
    """ASL ``ROR(x, shift)``."""
    return x.ror(shift % x.width)


def ROL(x: Value, shift: int) -> Value:
    """ASL ``ROL(x, shift)`` = ``ROR(x, N - shift)``."""
    return x.ror((x.width - shift) % x.width)


def LSR(x: Value, shift: int) -> Value:
    """ASL ``LSR(x, shift)``."""
    return x.lsr(shift)


def ROL_concat(high: Value, low: Value, shift: int) -> tuple[Value, Value]:
    """ASL ``<high, low> = ROL(high : low, shift)``, kept as slices so terms stay small."""
    whole = concat(high, low)
    n = whole.width
    rotated = concat(whole.extract(n - shift - 1, 0), whole.extract(n - 1, n - shift)) if shift % n else whole
    return rotated.extract(n - 1, low.width), rotated.extract(low.width - 1, 0)


def _bytes(op: Value) -> list[Value]:
    """Bytes of a 128-bit value, byte 0 (bits 7:0) first."""
    return [op.extract(8 * i + 7, 8 * i) for i in range(op.width // 8)]


def _from_bytes(parts: Sequence[Value]) -> Value:
    return concat(*reversed(parts))


# ------------------------------------------------------------------------------------------------
# AES (Arm ARM J1 shared/functions/crypto: AESSubBytes ... AESInvMixColumns)


def AESSubBytes(op: Value) -> Value:
    """ASL ``AESSubBytes``: the forward S-box on each of the 16 bytes."""
    return _from_bytes([sbox_lookup(b, SBOX) for b in _bytes(op)])


def AESInvSubBytes(op: Value) -> Value:
    """ASL ``AESInvSubBytes``: the inverse S-box on each of the 16 bytes."""
    return _from_bytes([sbox_lookup(b, INV_SBOX) for b in _bytes(op)])


def AESShiftRows(op: Value) -> Value:
    """ASL ``AESShiftRows``: byte ``4c + r`` (column c, row r) takes byte ``4((c + r) mod 4) + r``."""
    b = _bytes(op)
    return _from_bytes([b[4 * ((c + r) % 4) + r] for c in range(4) for r in range(4)])


def AESInvShiftRows(op: Value) -> Value:
    """ASL ``AESInvShiftRows``: byte ``4c + r`` takes byte ``4((c - r) mod 4) + r``."""
    b = _bytes(op)
    return _from_bytes([b[4 * ((c - r) % 4) + r] for c in range(4) for r in range(4)])


def FFmul02(b: Value) -> Value:
    """ASL ``FFmul02``: ``b * 0x02`` in GF(2^8) (the manual's table, computed as ``xtime``)."""
    return b.lsl(1) ^ (BV(8, 0x1B) & (BV(8, 0) - b[7].zext(8)))


def FFmul03(b: Value) -> Value:
    """ASL ``FFmul03``: ``b * 0x03``."""
    return FFmul02(b) ^ b


def FFmul09(b: Value) -> Value:
    """ASL ``FFmul09``: ``b * 0x09`` = ``b * 8 ^ b``."""
    return FFmul02(FFmul02(FFmul02(b))) ^ b


def FFmul0B(b: Value) -> Value:
    """ASL ``FFmul0B``: ``b * 0x0B`` = ``b * 8 ^ b * 2 ^ b``."""
    b2 = FFmul02(b)
    return FFmul02(FFmul02(b2)) ^ b2 ^ b


def FFmul0D(b: Value) -> Value:
    """ASL ``FFmul0D``: ``b * 0x0D`` = ``b * 8 ^ b * 4 ^ b``."""
    b4 = FFmul02(FFmul02(b))
    return FFmul02(b4) ^ b4 ^ b


def FFmul0E(b: Value) -> Value:
    """ASL ``FFmul0E``: ``b * 0x0E`` = ``b * 8 ^ b * 4 ^ b * 2``."""
    b2 = FFmul02(b)
    b4 = FFmul02(b2)
    return FFmul02(b4) ^ b4 ^ b2


def AESMixColumns(op: Value) -> Value:
    """ASL ``AESMixColumns``: each 32-bit column (bytes ``in0..in3``, row 0 lowest) times the MDS matrix."""
    b = _bytes(op)
    out: list[Value] = []
    for c in range(4):
        in0, in1, in2, in3 = b[4 * c: 4 * c + 4]
        out += [
            FFmul02(in0) ^ FFmul03(in1) ^ in2 ^ in3,
            FFmul02(in1) ^ FFmul03(in2) ^ in3 ^ in0,
            FFmul02(in2) ^ FFmul03(in3) ^ in0 ^ in1,
            FFmul02(in3) ^ FFmul03(in0) ^ in1 ^ in2,
        ]
    return _from_bytes(out)


def AESInvMixColumns(op: Value) -> Value:
    """ASL ``AESInvMixColumns``: each column times the inverse MDS matrix (0E 0B 0D 09)."""
    b = _bytes(op)
    out: list[Value] = []
    for c in range(4):
        in0, in1, in2, in3 = b[4 * c: 4 * c + 4]
        out += [
            FFmul0E(in0) ^ FFmul0B(in1) ^ FFmul0D(in2) ^ FFmul09(in3),
            FFmul0E(in1) ^ FFmul0B(in2) ^ FFmul0D(in3) ^ FFmul09(in0),
            FFmul0E(in2) ^ FFmul0B(in3) ^ FFmul0D(in0) ^ FFmul09(in1),
            FFmul0E(in3) ^ FFmul0B(in0) ^ FFmul0D(in1) ^ FFmul09(in2),
        ]
    return _from_bytes(out)


# ------------------------------------------------------------------------------------------------
# SHA-1 / SHA-256 (Arm ARM J1 shared/functions/crypto: SHAchoose ... SHA256hash)


def SHAchoose(x: Value, y: Value, z: Value) -> Value:
    """ASL ``SHAchoose``: ``((y EOR z) AND x) EOR z``."""
    return ((y ^ z) & x) ^ z


def SHAmajority(x: Value, y: Value, z: Value) -> Value:
    """ASL ``SHAmajority``: ``(x AND y) OR ((x OR y) AND z)``."""
    return (x & y) | ((x | y) & z)


def SHAparity(x: Value, y: Value, z: Value) -> Value:
    """ASL ``SHAparity``: ``x EOR y EOR z``."""
    return x ^ y ^ z


def SHAhashSIGMA0(x: Value) -> Value:
    """ASL ``SHAhashSIGMA0``: ``ROR(x, 2) EOR ROR(x, 13) EOR ROR(x, 22)``."""
    return ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22)


def SHAhashSIGMA1(x: Value) -> Value:
    """ASL ``SHAhashSIGMA1``: ``ROR(x, 6) EOR ROR(x, 11) EOR ROR(x, 25)``."""
    return ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25)


def _set32(x: Value, e: int, value: Value) -> Value:
    """``x<32e+31:32e> = value`` on a 128-bit value."""
    parts = [x.extract(32 * i + 31, 32 * i) for i in range(4)]
    parts[e] = value
    return concat(*reversed(parts))


def _get32(x: Value, e: int) -> Value:
    return x.extract(32 * e + 31, 32 * e)


def SHA1hash(x: Value, y: Value, w: Value, f: str) -> Value:
    """The shared loop of SHA1C/SHA1P/SHA1M: four SHA-1 rounds with ``f`` = choose/parity/majority.

    ``x`` is the 128-bit ``{d, c, b, a}`` state (a in bits 31:0), ``y`` the 32-bit ``e``, ``w`` the
    four schedule words plus constants.
    """
    fn = {"choose": SHAchoose, "parity": SHAparity, "majority": SHAmajority}[f]
    for e in range(4):
        t = fn(_get32(x, 1), _get32(x, 2), _get32(x, 3))
        y = y + ROL(_get32(x, 0), 5) + t + _get32(w, e)
        x = _set32(x, 1, ROL(_get32(x, 1), 30))
        y, x = ROL_concat(y, x, 32)
    return x


def SHA256hash(x: Value, y: Value, w: Value, part1: bool) -> Value:
    """ASL ``SHA256hash(X, Y, W, part1)``: four SHA-256 rounds on ``X = {d,c,b,a}``, ``Y = {h,g,f,e}``."""
    for e in range(4):
        chs = SHAchoose(_get32(y, 0), _get32(y, 1), _get32(y, 2))
        maj = SHAmajority(_get32(x, 0), _get32(x, 1), _get32(x, 2))
        t = _get32(y, 3) + SHAhashSIGMA1(_get32(y, 0)) + chs + _get32(w, e)
        x = _set32(x, 3, t + _get32(x, 3))
        y = _set32(y, 3, t + SHAhashSIGMA0(_get32(x, 0)) + maj)
        y, x = ROL_concat(y, x, 32)
    return x if part1 else y
