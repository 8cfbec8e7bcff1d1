"""GHASH and GCM (NIST SP 800-38D).

A 128-bit block is a 128-bit bit-vector holding the SP 800-38D bit string big-endian: the
leftmost bit x_0 of the string (the most significant bit of the first byte) is bit 127 of the
value, so the string operation ``X >> 1`` is ``lsr(1)`` and LSB_1(X) is bit 0.  In this
convention the field element x^i is bit 127 - i ("bit-reflected" relative to the usual integer
reading of polynomials).
"""

from __future__ import annotations

from collections.abc import Sequence

from bitvec import BV, Value, concat
from crypto_specs import aes

#: SP 800-38D 6.3: R = 11100001 || 0^120.
R: int = 0xE1 << 120


def gf128_mul(x: Value, y: Value) -> Value:
    """SP 800-38D 6.3, Algorithm 1: the product X • Y of two blocks in GF(2^128).

    Z_0 = 0, V_0 = Y; for i = 0..127: Z_{i+1} = Z_i XOR (x_i ? V_i : 0) and
    V_{i+1} = (V_i >> 1) XOR (LSB_1(V_i) ? R : 0).  The selections are written as masks
    (sign-extended bits), so the function is branch-free on data.
    """
    if x.width != 128 or y.width != 128:
        raise ValueError("GF(2^128) elements are 128 bits")
    z: Value = x & 0
    v = y
    for i in range(128):
        z = z ^ (x[127 - i].sext(128) & v)
        v = v.lsr(1) ^ (v[0].sext(128) & R)
    return z


def ghash(h: Value, blocks: Sequence[Value]) -> Value:
    """SP 800-38D 6.4, Algorithm 2: GHASH_H(X_1 || ... || X_m), Y_i = (Y_{i-1} XOR X_i) • H."""
    y: Value = h & 0
    for block in blocks:
        y = gf128_mul(y ^ block, h)
    return y


def inc32(block: Value) -> Value:
    """SP 800-38D 6.2: increment the rightmost 32 bits modulo 2^32, keep the left 96 bits."""
    return concat(block[127:32], block[31:0] + 1)


def aes_block(keys: Sequence[Sequence[Value]], block: Value) -> Value:
    """CIPH_K on a 128-bit block value in the SP 800-38D (big-endian) bit order."""
    return aes.state_to_value(aes.cipher(aes.state_from_value(block, "big"), keys), "big")


def gctr(keys: Sequence[Sequence[Value]], icb: Value, blocks: Sequence[Value]) -> list[Value]:
    """SP 800-38D 6.5, Algorithm 3, for whole blocks: Y_i = X_i XOR CIPH_K(CB_i), CB_{i+1} = inc32(CB_i).

    ``keys`` are the AES round keys (:func:`crypto_specs.aes.expand_key`).
    """
    out: list[Value] = []
    cb = icb
    for block in blocks:
        out.append(block ^ aes_block(keys, cb))
        cb = inc32(cb)
    return out


# ---------------------------------------------------------------------------------------------
# Bytes-level GCM (SP 800-38D 7.1 and 7.2); partial final blocks are handled on bytes.


def _blocks(data: bytes) -> list[BV]:
    """Split into 128-bit blocks, zero-padding the last one (the 0^u / 0^v padding of 7.1)."""
    data = data + b"\x00" * (-len(data) % 16)
    return [BV(128, int.from_bytes(data[i : i + 16], "big")) for i in range(0, len(data), 16)]


def _to_bytes(x: Value) -> bytes:
    return x.as_int().to_bytes(16, "big")


def _gctr_bytes(keys: Sequence[Sequence[Value]], icb: Value, data: bytes) -> bytes:
    """GCTR_K(ICB, X) on a byte string; the final partial block uses MSB_len of the keystream."""
    out = b"".join(_to_bytes(y) for y in gctr(keys, icb, _blocks(data)))
    return out[: len(data)]


def _setup(key: bytes, iv: bytes) -> tuple[list[list[BV]], Value, Value]:
    """Round keys, the hash subkey H = CIPH_K(0^128) and the pre-counter block J_0 (7.1 steps 1-2)."""
    keys = aes.expand_key(aes.state_from_bytes(key))
    h = aes_block(keys, BV(128, 0))
    if len(iv) == 12:
        j0: Value = BV(128, (int.from_bytes(iv, "big") << 32) | 1)
    else:
        j0 = ghash(h, [*_blocks(iv), BV(128, 8 * len(iv))])
    return keys, h, j0


def _tag(keys: Sequence[Sequence[Value]], h: Value, j0: Value, aad: bytes, ciphertext: bytes) -> bytes:
    """7.1 steps 5-6: S = GHASH_H(A || 0^v || C || 0^u || [len(A)]_64 || [len(C)]_64), T = GCTR_K(J_0, S)."""
    lengths = BV(128, ((8 * len(aad)) << 64) | (8 * len(ciphertext)))
    s = ghash(h, [*_blocks(aad), *_blocks(ciphertext), lengths])
    return _to_bytes(gctr(keys, j0, [s])[0])


def gcm_encrypt(key: bytes, iv: bytes, plaintext: bytes, aad: bytes = b"") -> bytes:
    """SP 800-38D 7.1, GCM-AE_K(IV, P, A) with a 128-bit tag; returns C || T."""
    keys, h, j0 = _setup(key, iv)
    ciphertext = _gctr_bytes(keys, inc32(j0), plaintext)
    return ciphertext + _tag(keys, h, j0, aad, ciphertext)


def gcm_decrypt(key: bytes, iv: bytes, data: bytes, aad: bytes = b"") -> bytes:
    """SP 800-38D 7.2, GCM-AD_K(IV, C, A, T) for ``data`` = C || T; raises ValueError if T is wrong."""
    if len(data) < 16:
        raise ValueError("GCM input is shorter than the tag")
    ciphertext, tag = data[:-16], data[-16:]
    keys, h, j0 = _setup(key, iv)
    if _tag(keys, h, j0, aad, ciphertext) != tag:
        raise ValueError("GCM authentication tag mismatch")
    return _gctr_bytes(keys, inc32(j0), ciphertext)


# ---------------------------------------------------------------------------------------------
# POLYVAL (RFC 8452), by its stated relation to GHASH (RFC 8452, Appendix A)


def mulx_ghash(x: Value) -> Value:
    """RFC 8452 Appendix A ``mulX_GHASH``: multiply a GHASH-order block by x."""
    return x.lsr(1) ^ (x[0].sext(128) & R)


def polyval(h: Value, blocks: Sequence[Value]) -> Value:
    """RFC 8452 3: POLYVAL(H, X_1..X_s), blocks as 128-bit values read little-endian from their bytes.

    RFC 8452 Appendix A: POLYVAL(H, X) = ByteReverse(GHASH(mulX_GHASH(ByteReverse(H)), ByteReverse(X_i)...)).
    A byte string read little-endian is its byte-reversal read big-endian (GHASH's reading), so in
    this representation every ByteReverse is the identity on values.
    """
    return ghash(mulx_ghash(h), list(blocks))


def polyval_bytes(h: bytes, data: bytes) -> bytes:
    """POLYVAL over whole 16-byte blocks, bytes in and out."""
    if len(h) != 16 or len(data) % 16:
        raise ValueError("POLYVAL takes a 16-byte key and whole 16-byte blocks")
    blocks = [BV(128, int.from_bytes(data[i : i + 16], "little")) for i in range(0, len(data), 16)]
    result = polyval(BV(128, int.from_bytes(h, "little")), blocks)
    return result.as_int().to_bytes(16, "little")
