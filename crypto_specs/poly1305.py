"""Poly1305 (RFC 8439 2.5): the one-time authenticator, plus a generic per-block step.

:func:`poly1305_mac` works on Python integers; :func:`block_step` and :func:`block_step_fold` are
the per-block accumulator update ``acc = ((acc + n) * r) mod (2^130 - 5)`` over bit-vectors
(concrete or symbolic) with a 130-bit accumulator and 260-bit products, for proofs about
implementations that work on limbs.
"""

from __future__ import annotations

from bitvec import BV, Value, concat, ite

#: RFC 8439 2.5: the prime P = 2^130 - 5.
P: int = (1 << 130) - 5

#: RFC 8439 2.5: clamp(r) = r & 0x0ffffffc0ffffffc0ffffffc0fffffff.
CLAMP: int = 0x0FFFFFFC0FFFFFFC0FFFFFFC0FFFFFFF

ACC_BITS = 130
PRODUCT_BITS = 260


def clamp(r: int) -> int:
    """RFC 8439 2.5: clear the bits of r that the algorithm requires to be zero."""
    return r & CLAMP


def poly1305_mac(message: bytes, key: bytes) -> bytes:
    """RFC 8439 2.5.1: the 16-byte tag of ``message`` under the 32-byte one-time key (r || s)."""
    if len(key) != 32:
        raise ValueError("a Poly1305 key is 32 bytes")
    r = clamp(int.from_bytes(key[:16], "little"))
    s = int.from_bytes(key[16:], "little")
    acc = 0
    for i in range(0, len(message), 16):
        n = int.from_bytes(message[i : i + 16] + b"\x01", "little")
        acc = ((acc + n) * r) % P
    return ((acc + s) & ((1 << 128) - 1)).to_bytes(16, "little")


def block_value(chunk: bytes) -> BV:
    """RFC 8439 2.5.1: the number n of a chunk of at most 16 bytes with 0x01 appended, as 130 bits."""
    if not 0 < len(chunk) <= 16:
        raise ValueError("a Poly1305 block is 1 to 16 bytes")
    return BV(ACC_BITS, int.from_bytes(chunk + b"\x01", "little"))


def block_step(acc: Value, n: Value, r: Value) -> Value:
    """RFC 8439 2.5.1 loop body: ((acc + n) * r) mod P, reduced with an unsigned remainder.

    ``acc``, ``n`` and ``r`` are 130-bit values with acc < 2^130, n < 2^129 and r clamped
    (r < 2^124), so the sum fits in 131 bits and the product in 260 bits; the result is < P.
    """
    total = acc.zext(ACC_BITS + 1) + n.zext(ACC_BITS + 1)
    product = total.zext(PRODUCT_BITS) * r.zext(PRODUCT_BITS)
    return product.urem(P).extract(ACC_BITS - 1, 0)


def block_step_fold(acc: Value, n: Value, r: Value) -> Value:
    """:func:`block_step` computed with the identity 2^130 = 5 (mod P) instead of a remainder.

    The 260-bit product h*2^130 + l folds to l + 5h (< 2^131), folds once more to < 2^130 + 5,
    and one conditional subtraction of P gives the canonical residue.
    """
    total = acc.zext(ACC_BITS + 1) + n.zext(ACC_BITS + 1)
    product = total.zext(PRODUCT_BITS) * r.zext(PRODUCT_BITS)
    wide = ACC_BITS + 1
    once = product[ACC_BITS - 1 : 0].zext(wide) + product[PRODUCT_BITS - 1 : ACC_BITS].zext(wide) * 5
    twice = once[ACC_BITS - 1 : 0].zext(wide) + concat(BV(ACC_BITS, 0), once[ACC_BITS]) * 5
    reduced = ite(twice.uge(P), twice - P, twice)
    return reduced[ACC_BITS - 1 : 0]


def finish(acc: Value, s: Value) -> Value:
    """RFC 8439 2.5.1: the tag value (acc + s) mod 2^128, for a 130-bit acc and a 128-bit s."""
    return acc[127:0] + s
